using System.Text;
using System.Text.Json;
using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;

namespace Csms.Ocpp.Tests.Validation;

public class OcppSchemaSetTests
{
    [Theory]
    [InlineData(OcppVersion.V16, 78)]
    [InlineData(OcppVersion.V201, 128)]
    [InlineData(OcppVersion.V21, 181)]
    public void Every_embedded_schema_is_present_and_compiles(OcppVersion version, int expectedFiles)
    {
        var set = OcppSchemaSet.Embedded;

        Assert.Equal(expectedFiles, set.SchemaFiles(version).Count());
        set.Preload(version);
    }

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    [InlineData(OcppVersion.V21)]
    public void Every_schema_file_is_reachable_by_action_and_kind(OcppVersion version)
    {
        var set = OcppSchemaSet.Embedded;
        foreach (var file in set.SchemaFiles(version))
        {
            var (action, kind) = ExpectedAddress(version, Path.GetFileNameWithoutExtension(file));
            Assert.True(set.TryGetSchema(version, action, kind, out var schema), $"{file} not reachable as {action} {kind}");
            Assert.Equal(file, schema.FileName);
            Assert.Contains(action, set.Actions(version));
        }
    }

    [Fact]
    public void Every_action_has_a_request_and_a_response_or_is_a_send()
    {
        var set = OcppSchemaSet.Embedded;
        foreach (var version in OcppVersions.All)
        {
            foreach (var action in set.Actions(version))
            {
                var isCall = set.Has(version, action, OcppMessageKind.Request) && set.Has(version, action, OcppMessageKind.Response);
                Assert.True(isCall ^ set.Has(version, action, OcppMessageKind.Send), $"{version} {action}");
            }
        }
    }

    [Fact]
    public void Only_OCPP_2_1_has_SEND_messages()
    {
        var set = OcppSchemaSet.Embedded;

        Assert.True(set.Has(OcppVersion.V21, "NotifyPeriodicEventStream", OcppMessageKind.Send));
        Assert.False(set.Has(OcppVersion.V21, "NotifyPeriodicEventStream", OcppMessageKind.Request));
        Assert.DoesNotContain(set.Actions(OcppVersion.V201), a => set.Has(OcppVersion.V201, a, OcppMessageKind.Send));
        Assert.DoesNotContain(set.Actions(OcppVersion.V16), a => set.Has(OcppVersion.V16, a, OcppMessageKind.Send));
    }

    [Fact]
    public void Action_names_are_case_sensitive()
    {
        var set = OcppSchemaSet.Embedded;

        Assert.True(set.Has(OcppVersion.V16, "BootNotification", OcppMessageKind.Request));
        Assert.False(set.Has(OcppVersion.V16, "bootnotification", OcppMessageKind.Request));
        Assert.False(set.Has(OcppVersion.V16, "BootNotificationRequest", OcppMessageKind.Request));
    }

    [Fact]
    public void Validating_an_unknown_action_is_NotImplemented_without_echoing_the_action()
    {
        var result = Payloads.Validate(OcppVersion.V201, "MakeCoffee", OcppMessageKind.Request, "{}");

        Payloads.AssertInvalid(result, OcppErrorCode.NotImplemented, "no Request schema for this action in OCPP 2.0.1", "MakeCoffee");
    }

    [Fact]
    public void The_same_schema_instance_is_returned_on_every_lookup()
    {
        var set = OcppSchemaSet.Embedded;
        set.TryGetSchema(OcppVersion.V201, "Heartbeat", OcppMessageKind.Request, out var first);
        set.TryGetSchema(OcppVersion.V201, "Heartbeat", OcppMessageKind.Request, out var second);

        Assert.Same(first, second);
    }

    [Fact]
    public void Concurrent_validation_gives_the_same_answers()
    {
        using var valid = JsonDocument.Parse("""{"chargePointVendor":"V","chargePointModel":"M"}""");
        using var invalid = JsonDocument.Parse("""{"chargePointVendor":"V"}""");

        Parallel.For(0, 2000, i =>
        {
            var result = OcppSchemaSet.Embedded.Validate(OcppVersion.V16, "BootNotification", OcppMessageKind.Request,
                i % 2 == 0 ? valid.RootElement : invalid.RootElement);
            Assert.Equal(i % 2 == 0, result.IsValid);
        });
    }

    [Theory]
    [InlineData("""{"type":"object","patternProperties":{}}""", "patternProperties")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","pattern":"x"}}}""", "pattern")]
    [InlineData("""{"type":"object","properties":{"a":{"type":["string","null"]}}}""", "#/properties/a/type")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/Missing"}}}""", "Missing")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/A","maxLength":3}},"definitions":{"A":{"type":"string"}}}""", "maxLength")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","format":"email"}}}""", "format")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string"}}""", "additionalProperties")]
    [InlineData("""{"type":"object","definitions":{"Unused":{"type":"string","minLength":1}}}""", "minLength")]
    public void A_schema_keyword_the_validator_does_not_implement_is_refused_at_load_time(string schema, string mentioned)
    {
        var error = Assert.Throws<InvalidDataException>(() => OcppSchema.Parse("Custom.json", Encoding.UTF8.GetBytes(schema)));

        Assert.Contains("Custom.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotations_are_accepted_and_ignored()
    {
        var schema = OcppSchema.Parse("Annotated.json", """
            {"$schema":"http://json-schema.org/draft-06/schema#","$id":"urn:x","id":"urn:y","title":"T","comment":"c",
             "type":"object","properties":{"a":{"type":"boolean","default":false,"description":"d","javaType":"J"}}}
            """u8.ToArray());

        Payloads.AssertValid(Payloads.Validate(schema, """{"a":true}"""));
    }

    [Fact]
    public void Malformed_schema_JSON_is_refused_with_the_file_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => OcppSchema.Parse("Broken.json", "{\"type\":"u8.ToArray()));

        Assert.Contains("Broken.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validating_a_valid_payload_allocates_nothing()
    {
        using var document = JsonDocument.Parse("""
            {"eventType":"Updated","timestamp":"2025-03-01T12:00:00.5+02:00","triggerReason":"MeterValuePeriodic","seqNo":3,
             "transactionInfo":{"transactionId":"tx-1","chargingState":"Charging"},"evse":{"id":1,"connectorId":1},
             "idToken":{"idToken":"04A1B2C3","type":"ISO14443","customData":{"vendorId":"v","extra":[1]}},
             "meterValue":[{"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":1234.5,"measurand":"Energy.Active.Import.Register"}]}]}
            """);
        var set = OcppSchemaSet.Embedded;
        Assert.True(set.Validate(OcppVersion.V201, "TransactionEvent", OcppMessageKind.Request, document.RootElement).IsValid);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            set.Validate(OcppVersion.V201, "TransactionEvent", OcppMessageKind.Request, document.RootElement);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (string Action, OcppMessageKind Kind) ExpectedAddress(OcppVersion version, string stem)
    {
        if (stem.EndsWith("Response", StringComparison.Ordinal))
        {
            return (stem[..^8], OcppMessageKind.Response);
        }
        if (version == OcppVersion.V16)
        {
            return (stem, OcppMessageKind.Request);
        }
        return stem.EndsWith("Request", StringComparison.Ordinal) ? (stem[..^7], OcppMessageKind.Request) : (stem, OcppMessageKind.Send);
    }
}
