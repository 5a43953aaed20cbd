using System.Text.Json;
using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;

namespace Csms.Ocpp.Tests.Validation;

/// <summary>Runs payload text through the embedded schemas and checks results the same way in every test.</summary>
internal static class Payloads
{
    public static SchemaValidationResult Validate(OcppVersion version, string action, OcppMessageKind kind, string json)
    {
        using var document = JsonDocument.Parse(json);
        return OcppSchemaSet.Embedded.Validate(version, action, kind, document.RootElement);
    }

    public static SchemaValidationResult Validate(OcppSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        return schema.Validate(document.RootElement);
    }

    public static void AssertValid(SchemaValidationResult result) =>
        Assert.True(result.IsValid, $"expected valid, got {result.Error}: {result.Description}");

    /// <summary>Checks code and exact description, and that the offending value is not echoed back.</summary>
    public static void AssertInvalid(SchemaValidationResult result, OcppErrorCode error, string description, string? offendingValue = null)
    {
        Assert.False(result.IsValid, "expected a violation");
        Assert.Equal(error, result.Error);
        Assert.Equal(description, result.Description);
        Assert.True(result.Description.Length <= OcppErrorCodes.MaxDescriptionLength);
        if (offendingValue is not null)
        {
            Assert.DoesNotContain(offendingValue, result.Description, StringComparison.Ordinal);
        }
    }
}
