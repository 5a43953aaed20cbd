using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Csms.Ocpp.Messages;
using Csms.Ocpp.Messages.V16;
using Csms.Ocpp.Messages.V201;
using Csms.Ocpp.Messages.V21;

namespace Csms.Ocpp.Tests.Messages;

/// <summary>
/// Walks every schema to build a valid instance, then checks that it survives
/// JSON → typed model (source-generated context) → JSON unchanged.
/// </summary>
public class SchemaRoundTripTests
{
    [Fact]
    public void Every_1_6_request_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V16, "Request", allProperties: false);

    [Fact]
    public void Every_1_6_response_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V16, "Response", allProperties: false);

    [Fact]
    public void Every_2_0_1_request_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V201, "Request", allProperties: false);

    [Fact]
    public void Every_2_0_1_response_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V201, "Response", allProperties: false);

    [Fact]
    public void Every_2_1_request_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V21, "Request", allProperties: false);

    [Fact]
    public void Every_2_1_response_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V21, "Response", allProperties: false);

    [Fact]
    public void Every_2_1_send_schema_round_trips_through_its_typed_model() => AssertRoundTrips(OcppVersion.V21, "Send", allProperties: false);

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    [InlineData(OcppVersion.V21)]
    public void Every_message_with_all_optional_properties_filled_in_round_trips(OcppVersion version)
    {
        AssertRoundTrips(version, "Request", allProperties: true);
        AssertRoundTrips(version, "Response", allProperties: true);
        AssertRoundTrips(version, "Send", allProperties: true);
    }

    public static TheoryData<OcppVersion> Versions => [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21];

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_enum_member_is_written_as_its_exact_wire_value_and_read_back(OcppVersion version)
    {
        var context = Context(version);
        var enums = typeof(OcppActionCatalog).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.Namespace == $"Csms.Ocpp.Messages.{version}")
            .ToList();
        Assert.NotEmpty(enums);

        foreach (var enumType in enums)
        {
            var typeInfo = context.GetTypeInfo(enumType);
            Assert.NotNull(typeInfo);
            foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var wire = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name;
                var json = JsonSerializer.Serialize(field.GetValue(null), typeInfo);
                Assert.Equal(JsonSerializer.Serialize(wire), json);
                Assert.Equal(field.GetValue(null), JsonSerializer.Deserialize(json, typeInfo));
            }
        }
    }

    internal static JsonSerializerContext Context(OcppVersion version) => version switch
    {
        OcppVersion.V16 => V16JsonContext.Default,
        OcppVersion.V201 => V201JsonContext.Default,
        OcppVersion.V21 => V21JsonContext.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    private static void AssertRoundTrips(OcppVersion version, string kind, bool allProperties)
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var action in OcppActionCatalog.For(version).All)
        {
            var (file, typeInfo) = kind switch
            {
                "Response" when !action.IsSend => (action.Action + "Response.json", action.ResponseTypeInfo!),
                "Request" when !action.IsSend => (action.Action + (version == OcppVersion.V16 ? ".json" : "Request.json"), action.RequestTypeInfo),
                "Send" when action.IsSend => (action.Action + ".json", action.RequestTypeInfo),
                _ => (null, null),
            };
            if (file is null || typeInfo is null)
            {
                continue;
            }
            checkedCount++;

            var input = SchemaInstances.Build(SchemaInstances.LoadSchema(version.Number(), file), allProperties)!.ToJsonString();
            try
            {
                var model = JsonSerializer.Deserialize(input, typeInfo);
                Assert.IsType(typeInfo.Type, model);
                var output = JsonSerializer.Serialize(model, typeInfo);
                if (JsonContent.FirstDifference(input, output) is { } difference)
                {
                    failures.Add($"{file}: {difference}\n  in:  {input}\n  out: {output}");
                }
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                failures.Add($"{file}: {e.GetType().Name}: {e.Message}\n  in:  {input}");
            }
        }

        Assert.True(checkedCount > 0 || kind == "Send");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
