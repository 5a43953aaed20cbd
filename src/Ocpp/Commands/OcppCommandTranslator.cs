using System.Text.Json;
using Csms.Ocpp.Validation;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Translates version-neutral operator commands into the OCPP CALLs a station of a given version understands.
/// Pure: no I/O, no clock, no randomness; the same command and version always give the same CALLs.
/// </summary>
public static class OcppCommandTranslator
{
    /// <summary>
    /// The CALLs for <paramref name="command"/> on a station speaking <paramref name="version"/>, or a problem
    /// naming the request field that version cannot express. Every CALL returned passes the version's schema.
    /// </summary>
    public static CommandTranslation Translate(OperatorCommand command, OcppVersion version)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!OcppVersions.All.Contains(version))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "not an OCPP version this library speaks");
        }

        IReadOnlyList<OcppCall> calls;
        try
        {
            calls = command.ToCalls(version);
        }
        catch (CommandNotExpressibleException e)
        {
            return CommandTranslation.NotExpressible(e.Message);
        }

        foreach (var call in calls)
        {
            // the builders check what the versions disagree on; lengths and ranges the schema states are caught here,
            // so the operator gets the reason now instead of a CALLERROR from the station later
            using var document = JsonDocument.Parse(call.Payload.ToJsonString());
            var result = OcppSchemaSet.Embedded.Validate(version, call.Action, OcppMessageKind.Request, document.RootElement);
            if (!result.IsValid)
            {
                return CommandTranslation.NotExpressible(
                    $"OCPP {version.Number()} {call.Action} does not accept this request: {result.Description}.");
            }
        }
        return CommandTranslation.Of(calls);
    }
}
