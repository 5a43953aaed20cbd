using Csms.Ocpp.Framing;

namespace Csms.Ocpp.Validation;

/// <summary>
/// Outcome of validating a payload against its schema. When invalid, <see cref="Error"/> is the OCPP-J error
/// code to answer with and <see cref="Description"/> names the JSON path and the rule (never the value).
/// </summary>
public readonly record struct SchemaValidationResult(bool IsValid, OcppErrorCode Error, string Description)
{
    public static SchemaValidationResult Valid { get; } = new(true, OcppErrorCode.GenericError, "");

    public static SchemaValidationResult Invalid(OcppErrorCode error, string description) =>
        new(false, error, OcppErrorCodes.Clip(description));
}
