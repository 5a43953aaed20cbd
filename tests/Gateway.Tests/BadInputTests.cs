using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

/// <summary>Malformed and invalid frames get the exact CALLERROR of the negotiated version, and the connection stays usable.</summary>
public sealed class BadInputTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private const string V16 = "ocpp1.6";
    private const string V201 = "ocpp2.0.1";
    private static int s_stations;

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "RpcFrameworkError")]
    public async Task A_frame_that_is_not_json_is_answered_with_id_minus_one(string version, string code) =>
        await AssertAnsweredWith(version, "this is not json", "-1", code);

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "RpcFrameworkError")]
    public async Task A_json_frame_that_is_not_an_array_is_answered_with_id_minus_one(string version, string code) =>
        await AssertAnsweredWith(version, """{"messageTypeId":2,"id":"a"}""", "-1", code);

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "RpcFrameworkError")]
    public async Task A_two_element_array_is_answered_with_id_minus_one(string version, string code) =>
        await AssertAnsweredWith(version, "[2, 5]", "-1", code);

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "RpcFrameworkError")]
    public async Task A_message_id_longer_than_36_characters_is_answered_with_id_minus_one(string version, string code) =>
        await AssertAnsweredWith(version, $$"""[2,"{{new string('x', 37)}}","Heartbeat",{}]""", "-1", code);

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "MessageTypeNotSupported")]
    public async Task An_unknown_message_type_number_is_refused(string version, string code) =>
        await AssertAnsweredWith(version, """[7,"type-7","Heartbeat",{}]""", "type-7", code);

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task An_action_the_version_does_not_define_is_NotImplemented(string version) =>
        await AssertAnsweredWith(version, """[2,"unknown-1","MakeCoffee",{}]""", "unknown-1", "NotImplemented");

    [Theory]
    [InlineData(V16, """[2,"rs-1","RemoteStartTransaction",{"idTag":"TAG-1"}]""")]
    [InlineData(V201, """[2,"rs-1","RequestStartTransaction",{"idToken":{"idToken":"TAG-1","type":"ISO14443"},"remoteStartId":1}]""")]
    public async Task A_csms_to_station_action_sent_by_the_station_is_NotSupported(string version, string frame) =>
        await AssertAnsweredWith(version, frame, "rs-1", "NotSupported");

    [Theory]
    [InlineData(V16, """[2,"miss-1","StatusNotification",{"connectorId":1,"errorCode":"NoError"}]""", "OccurenceConstraintViolation")]
    [InlineData(V201, """[2,"miss-1","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","evseId":1,"connectorId":1}]""", "OccurrenceConstraintViolation")]
    public async Task A_missing_required_field_is_an_occurrence_violation_in_the_version_spelling(string version, string frame, string code) =>
        await AssertAnsweredWith(version, frame, "miss-1", code);

    [Theory]
    [InlineData(V16, """[2,"type-1","StatusNotification",{"connectorId":"one","errorCode":"NoError","status":"Available"}]""")]
    [InlineData(V201, """[2,"type-1","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Available","evseId":"one","connectorId":1}]""")]
    public async Task A_field_of_the_wrong_type_is_a_TypeConstraintViolation(string version, string frame) =>
        await AssertAnsweredWith(version, frame, "type-1", "TypeConstraintViolation");

    [Theory]
    [InlineData(V16, """[2,"long-1","Authorize",{"idTag":"123456789012345678901"}]""")]
    [InlineData(V201, """[2,"long-1","Authorize",{"idToken":{"idToken":"1234567890123456789012345678901234567","type":"ISO14443"}}]""")]
    public async Task A_string_over_its_maximum_length_is_a_PropertyConstraintViolation(string version, string frame) =>
        await AssertAnsweredWith(version, frame, "long-1", "PropertyConstraintViolation");

    [Theory]
    [InlineData(V16, "FormationViolation")]
    [InlineData(V201, "FormatViolation")]
    public async Task A_property_the_schema_does_not_allow_is_a_format_violation_in_the_version_spelling(string version, string code) =>
        await AssertAnsweredWith(version, """[2,"extra-1","Heartbeat",{"surprise":true}]""", "extra-1", code);

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Heartbeat_before_BootNotification_is_refused_with_SecurityError(string version)
    {
        await using var station = await gateway.ConnectAsync(NewStationId(), version);

        var answer = await station.CallAsync("Heartbeat", new { });

        Assert.True(answer.IsError, answer.Raw);
        Assert.Equal("SecurityError", answer.ErrorCode);
        await Boot(station, version);
        Assert.True((await station.CallAsync("Heartbeat", new { })).IsResult);
    }

    private async Task AssertAnsweredWith(string version, string frame, string expectedId, string expectedCode)
    {
        await using var station = await gateway.ConnectAsync(NewStationId(), version);
        await Boot(station, version);

        var answer = await station.SendRawAsync(frame, expectedId);

        Assert.True(answer.IsError, answer.Raw);
        Assert.Equal(expectedId, answer.MessageId);
        Assert.Equal(expectedCode, answer.ErrorCode);
        var heartbeat = await station.CallAsync("Heartbeat", new { });
        Assert.True(heartbeat.IsResult, $"the connection no longer works after {frame}: {heartbeat.Raw}");
    }

    private static async Task Boot(TestStation station, string version)
    {
        var boot = version == V16
            ? await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" })
            : await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "Model-2", vendorName = "TestVendor" } });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
    }

    private static string NewStationId() => "bad-" + Interlocked.Increment(ref s_stations).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
