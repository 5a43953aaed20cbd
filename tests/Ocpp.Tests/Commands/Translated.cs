using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Ocpp.Commands;
using Csms.Ocpp.Validation;

namespace Csms.Ocpp.Tests.Commands;

/// <summary>Translates a command and checks the outcome the same way in every test: CALLs must pass the version's schema.</summary>
internal static class Translated
{
    public static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<OcppVersion> AllVersions => [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21];

    public static TheoryData<OcppVersion> TwoX => [OcppVersion.V201, OcppVersion.V21];

    public static IReadOnlyList<OcppCall> Calls(OperatorCommand command, OcppVersion version)
    {
        var translation = OcppCommandTranslator.Translate(command, version);
        Assert.True(translation.IsExpressible, $"expected CALLs for OCPP {version.Number()}, got: {translation.Problem}");
        Assert.NotEmpty(translation.Calls);
        foreach (var call in translation.Calls)
        {
            AssertSchemaValid(version, call);
        }
        return translation.Calls;
    }

    /// <summary>The payload of the only CALL, after checking its action.</summary>
    public static JsonObject Single(OperatorCommand command, OcppVersion version, string action)
    {
        var call = Assert.Single(Calls(command, version));
        Assert.Equal(action, call.Action);
        return call.Payload;
    }

    /// <summary>The problem, after checking it names the field.</summary>
    public static string Problem(OperatorCommand command, OcppVersion version, string field)
    {
        var translation = OcppCommandTranslator.Translate(command, version);
        Assert.False(translation.IsExpressible, $"expected a problem for OCPP {version.Number()}, got {translation.Calls.Count} CALL(s)");
        Assert.Empty(translation.Calls);
        Assert.Contains(field, translation.Problem, StringComparison.Ordinal);
        return translation.Problem;
    }

    public static void AssertSchemaValid(OcppVersion version, OcppCall call)
    {
        Assert.True(OcppSchemaSet.Embedded.Has(version, call.Action, OcppMessageKind.Request),
            $"OCPP {version.Number()} has no request schema for {call.Action}");
        using var document = JsonDocument.Parse(call.Payload.ToJsonString());
        var result = OcppSchemaSet.Embedded.Validate(version, call.Action, OcppMessageKind.Request, document.RootElement);
        Assert.True(result.IsValid, $"OCPP {version.Number()} {call.Action} {call.Payload.ToJsonString()}: {result.Error} {result.Description}");
    }

    public static string? Text(this JsonNode? node) => node?.GetValue<string>();

    public static int? Int(this JsonNode? node) => node?.GetValue<int>();
}
