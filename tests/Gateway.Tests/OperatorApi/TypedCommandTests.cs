using System.Net;
using System.Text;
using System.Text.Json;
using Csms.Gateway.Tests.Infrastructure;
using Xunit.Sdk;

namespace Csms.Gateway.Tests.OperatorApi;

/// <summary>
/// The typed, version-neutral command endpoints end to end: the same request body to a 1.6 and a 2.0.1 station becomes
/// each version's CALL, the station's answer settles the command, and requests a version cannot express are refused.
/// </summary>
public sealed class TypedCommandTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private const string V16 = "ocpp1.6";
    private const string V201 = "ocpp2.0.1";

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Remote_start_is_RemoteStartTransaction_with_an_idTag_on_1_6_and_RequestStartTransaction_with_an_idToken_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "remote-start", """{"idToken":"TAG-RS1","evseId":1}""",
            version == V16 ? "RemoteStartTransaction" : "RequestStartTransaction");

        if (version == V16)
        {
            Assert.Equal("TAG-RS1", call.Payload.GetProperty("idTag").GetString());
            Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
        }
        else
        {
            var idToken = call.Payload.GetProperty("idToken");
            Assert.Equal("TAG-RS1", idToken.GetProperty("idToken").GetString());
            Assert.Equal("ISO14443", idToken.GetProperty("type").GetString());
            Assert.Equal(1, call.Payload.GetProperty("evseId").GetInt32());
            Assert.True(call.Payload.GetProperty("remoteStartId").GetInt32() > 0, call.Payload.GetRawText());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Remote_stop_sends_an_integer_transactionId_to_1_6_and_the_string_id_to_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "remote-stop", """{"transactionId":"42"}""",
            version == V16 ? "RemoteStopTransaction" : "RequestStopTransaction");

        var transactionId = call.Payload.GetProperty("transactionId");
        if (version == V16)
        {
            Assert.Equal(JsonValueKind.Number, transactionId.ValueKind);
            Assert.Equal(42, transactionId.GetInt32());
        }
        else
        {
            Assert.Equal("42", transactionId.GetString());
        }
    }

    [Theory]
    [InlineData(V16, "immediate", "Soft")]
    [InlineData(V201, "immediate", "Immediate")]
    [InlineData(V16, "hard", "Hard")]
    [InlineData(V201, "onIdle", "OnIdle")]
    public async Task Reset_type_becomes_the_reset_type_of_the_stations_version(string version, string type, string wireType)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "reset", $$"""{"type":"{{type}}"}""", "Reset");

        Assert.Equal(wireType, call.Payload.GetProperty("type").GetString());
        Assert.False(call.Payload.TryGetProperty("evseId", out _), call.Payload.GetRawText());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Unlock_names_the_1_6_connector_or_the_2_0_1_evse_and_connector(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "unlock", """{"evseId":1,"connectorId":1}""", "UnlockConnector");

        Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
        if (version == V16)
        {
            Assert.False(call.Payload.TryGetProperty("evseId", out _), call.Payload.GetRawText());
        }
        else
        {
            Assert.Equal(1, call.Payload.GetProperty("evseId").GetInt32());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Change_availability_is_type_and_connectorId_on_1_6_and_operationalStatus_and_evse_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "change-availability", """{"operationalStatus":"Inoperative","evseId":1}""", "ChangeAvailability");

        if (version == V16)
        {
            Assert.Equal("Inoperative", call.Payload.GetProperty("type").GetString());
            Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
        }
        else
        {
            Assert.Equal("Inoperative", call.Payload.GetProperty("operationalStatus").GetString());
            Assert.Equal(1, call.Payload.GetProperty("evse").GetProperty("id").GetInt32());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Get_configuration_reads_a_1_6_key_with_GetConfiguration_and_its_2_0_1_variable_with_GetVariables(string version)
    {
        await using var station = await BootAsync(version);

        var view = await SendAsync(station, "get-configuration", """{"names":["HeartbeatInterval"]}""");
        var call = AssertSettled(station, view, version == V16 ? "GetConfiguration" : "GetVariables", "Accepted");

        var response = view.GetProperty("response");
        if (version == V16)
        {
            Assert.Equal(["HeartbeatInterval"], call.Payload.GetProperty("key").EnumerateArray().Select(k => k.GetString()));
            var key = Assert.Single(response.GetProperty("configurationKey").EnumerateArray());
            Assert.Equal("HeartbeatInterval", key.GetProperty("key").GetString());
            Assert.Equal("300", key.GetProperty("value").GetString());
        }
        else
        {
            var data = Assert.Single(call.Payload.GetProperty("getVariableData").EnumerateArray());
            Assert.Equal("OCPPCommCtrlr", data.GetProperty("component").GetProperty("name").GetString());
            Assert.Equal("HeartbeatInterval", data.GetProperty("variable").GetProperty("name").GetString());
            var result = Assert.Single(response.GetProperty("getVariableResult").EnumerateArray());
            Assert.Equal("Accepted", result.GetProperty("attributeStatus").GetString());
            Assert.Equal("300", result.GetProperty("attributeValue").GetString());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Set_configuration_sends_one_ChangeConfiguration_per_setting_to_1_6_and_one_SetVariables_to_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var batch = await SendAsync(station, "set-configuration",
            """{"settings":[{"name":"HeartbeatInterval","value":"600"},{"name":"MeterValueSampleInterval","value":"30"}]}""");

        var commands = batch.GetProperty("commands").EnumerateArray().ToArray();
        if (version == V16)
        {
            Assert.Equal(2, commands.Length);
            var calls = station.Calls("ChangeConfiguration");
            Assert.Equal(2, calls.Length);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal("Accepted", commands[i].GetProperty("state").GetString());
                Assert.Equal("ChangeConfiguration", commands[i].GetProperty("action").GetString());
                Assert.Equal(commands[i].GetProperty("commandId").GetString(), calls[i].MessageId);
            }
            Assert.Equal(("HeartbeatInterval", "600"), (calls[0].Payload.GetProperty("key").GetString(), calls[0].Payload.GetProperty("value").GetString()));
            Assert.Equal(("MeterValueSampleInterval", "30"), (calls[1].Payload.GetProperty("key").GetString(), calls[1].Payload.GetProperty("value").GetString()));
            Assert.Equal("600", station.Configuration("HeartbeatInterval"));
            Assert.Equal("30", station.Configuration("MeterValueSampleInterval"));
        }
        else
        {
            var command = Assert.Single(commands);
            var call = AssertSettled(station, command, "SetVariables", "Accepted");
            var data = call.Payload.GetProperty("setVariableData").EnumerateArray().ToArray();
            Assert.Equal(2, data.Length);
            Assert.Equal("OCPPCommCtrlr", data[0].GetProperty("component").GetProperty("name").GetString());
            Assert.Equal("HeartbeatInterval", data[0].GetProperty("variable").GetProperty("name").GetString());
            Assert.Equal("600", data[0].GetProperty("attributeValue").GetString());
            Assert.Equal("SampledDataCtrlr", data[1].GetProperty("component").GetProperty("name").GetString());
            Assert.Equal("TxUpdatedInterval", data[1].GetProperty("variable").GetProperty("name").GetString());
            Assert.Equal("30", data[1].GetProperty("attributeValue").GetString());
            Assert.All(command.GetProperty("response").GetProperty("setVariableResult").EnumerateArray(),
                r => Assert.Equal("Accepted", r.GetProperty("attributeStatus").GetString()));
            Assert.Equal("600", station.Configuration("OCPPCommCtrlr.HeartbeatInterval"));
        }

        // the new value is what the station reports afterwards
        var read = await SendAsync(station, "get-configuration", """{"names":["HeartbeatInterval"]}""");
        Assert.Contains("\"600\"", read.GetProperty("response").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_configuration_without_names_reads_every_key_of_a_1_6_station()
    {
        await using var station = await BootAsync(V16);

        var view = await SendAsync(station, "get-configuration", "{}");
        var call = AssertSettled(station, view, "GetConfiguration", "Accepted");

        Assert.False(call.Payload.TryGetProperty("key", out _), call.Payload.GetRawText());
        var keys = view.GetProperty("response").GetProperty("configurationKey").EnumerateArray().Select(k => k.GetProperty("key").GetString());
        Assert.Contains("HeartbeatInterval", keys);
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Set_configuration_the_station_refuses_is_Rejected_in_either_version(string version)
    {
        await using var station = await BootAsync(version);
        station.Refusing = true;

        var batch = await SendAsync(station, "set-configuration", """{"settings":[{"name":"HeartbeatInterval","value":"600"}]}""");

        var command = Assert.Single(batch.GetProperty("commands").EnumerateArray());
        // 1.6 ChangeConfiguration answers status Rejected, 2.0.1 SetVariables setVariableResult[0].attributeStatus Rejected
        AssertSettled(station, command, version == V16 ? "ChangeConfiguration" : "SetVariables", "Rejected");
        Assert.Equal("300", station.Configuration(version == V16 ? "HeartbeatInterval" : "OCPPCommCtrlr.HeartbeatInterval"));
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Trigger_message_for_a_connectors_status_is_connectorId_on_1_6_and_evse_with_connector_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "trigger-message",
            """{"requestedMessage":"StatusNotification","evseId":1,"connectorId":1}""", "TriggerMessage");

        Assert.Equal("StatusNotification", call.Payload.GetProperty("requestedMessage").GetString());
        if (version == V16)
        {
            Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
        }
        else
        {
            var evse = call.Payload.GetProperty("evse");
            Assert.Equal(1, evse.GetProperty("id").GetInt32());
            Assert.Equal(1, evse.GetProperty("connectorId").GetInt32());
        }
    }

    [Theory]
    [InlineData(V16, "DiagnosticsStatusNotification")]
    [InlineData(V201, "LogStatusNotification")]
    public async Task Trigger_message_for_the_diagnostics_status_names_the_message_of_the_stations_version(string version, string wireMessage)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "trigger-message", """{"requestedMessage":"DiagnosticsStatusNotification"}""", "TriggerMessage");

        Assert.Equal(wireMessage, call.Payload.GetProperty("requestedMessage").GetString());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Clear_cache_sends_an_empty_ClearCache(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "clear-cache", "{}", "ClearCache");

        Assert.Empty(call.Payload.EnumerateObject());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Data_transfer_sends_json_data_as_text_to_1_6_and_as_json_to_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var view = await SendAsync(station, "data-transfer", """{"vendorId":"com.example","messageId":"Ping","data":{"n":1}}""");
        var call = AssertSettled(station, view, "DataTransfer", "Accepted");

        Assert.Equal("com.example", call.Payload.GetProperty("vendorId").GetString());
        Assert.Equal("Ping", call.Payload.GetProperty("messageId").GetString());
        var data = call.Payload.GetProperty("data");
        if (version == V16)
        {
            Assert.Equal(JsonValueKind.String, data.ValueKind);
            using var text = JsonDocument.Parse(data.GetString()!);
            Assert.Equal(1, text.RootElement.GetProperty("n").GetInt32());
        }
        else
        {
            Assert.Equal(1, data.GetProperty("n").GetInt32());
        }
        Assert.Equal("Accepted", view.GetProperty("response").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Update_firmware_is_location_and_retrieveDate_on_1_6_and_a_firmware_object_with_requestId_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "update-firmware",
            """{"location":"https://127.0.0.1/fw.bin","retrieveDateTime":"2030-01-01T00:00:00Z","retries":2}""", "UpdateFirmware");

        Assert.Equal(2, call.Payload.GetProperty("retries").GetInt32());
        if (version == V16)
        {
            Assert.Equal("https://127.0.0.1/fw.bin", call.Payload.GetProperty("location").GetString());
            Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), call.Payload.GetProperty("retrieveDate").GetDateTimeOffset());
        }
        else
        {
            var firmware = call.Payload.GetProperty("firmware");
            Assert.Equal("https://127.0.0.1/fw.bin", firmware.GetProperty("location").GetString());
            Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), firmware.GetProperty("retrieveDateTime").GetDateTimeOffset());
            Assert.True(call.Payload.GetProperty("requestId").GetInt32() > 0, call.Payload.GetRawText());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Get_log_is_GetDiagnostics_on_1_6_and_GetLog_on_2_0_1_and_the_answer_names_the_file(string version)
    {
        await using var station = await BootAsync(version);

        var view = await SendAsync(station, "get-log", """{"remoteLocation":"ftp://127.0.0.1/logs/","retries":1}""");
        var call = AssertSettled(station, view, version == V16 ? "GetDiagnostics" : "GetLog", "Accepted");

        var response = view.GetProperty("response");
        if (version == V16)
        {
            Assert.Equal("ftp://127.0.0.1/logs/", call.Payload.GetProperty("location").GetString());
            Assert.Equal(1, call.Payload.GetProperty("retries").GetInt32());
            Assert.Equal("diagnostics.log", response.GetProperty("fileName").GetString());
        }
        else
        {
            Assert.Equal("ftp://127.0.0.1/logs/", call.Payload.GetProperty("log").GetProperty("remoteLocation").GetString());
            Assert.Equal("DiagnosticsLog", call.Payload.GetProperty("logType").GetString());
            Assert.True(call.Payload.GetProperty("requestId").GetInt32() > 0, call.Payload.GetRawText());
            Assert.Equal("Accepted", response.GetProperty("status").GetString());
            Assert.Equal("station.log", response.GetProperty("filename").GetString());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Send_local_list_is_listVersion_and_idTags_on_1_6_and_versionNumber_and_idTokens_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "send-local-list",
            """{"listVersion":5,"updateType":"Full","entries":[{"idToken":"TAG-LL1","status":"Accepted"},{"idToken":"TAG-LL2","status":"Blocked"}]}""",
            "SendLocalList");

        Assert.Equal("Full", call.Payload.GetProperty("updateType").GetString());
        Assert.Equal(5, call.Payload.GetProperty(version == V16 ? "listVersion" : "versionNumber").GetInt32());
        var list = LocalList(call, version);
        Assert.Equal([("TAG-LL1", "Accepted", null), ("TAG-LL2", "Blocked", null)], list);
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Local_list_from_id_tokens_sends_the_stored_tokens_of_the_group_as_a_Full_list(string version)
    {
        await using var station = await BootAsync(version);
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var group = "G1-" + suffix;
        var first = "TKA-" + suffix;
        var second = "TKB-" + suffix;
        await PutIdTokenAsync(first, $$"""{"status":"Accepted","groupId":"{{group}}"}""");
        await PutIdTokenAsync(second, $$"""{"status":"Blocked","groupId":"{{group}}"}""");
        // another group's token stays off the list
        await PutIdTokenAsync("TKC-" + suffix, """{"status":"Accepted","groupId":"G2"}""");

        var call = await SendAcceptedAsync(station, "local-list/from-id-tokens", $$"""{"groupId":"{{group}}"}""", "SendLocalList");

        Assert.Equal("Full", call.Payload.GetProperty("updateType").GetString());
        Assert.True(call.Payload.GetProperty(version == V16 ? "listVersion" : "versionNumber").GetInt32() > 0, call.Payload.GetRawText());
        Assert.Equal([(first, "Accepted", group), (second, "Blocked", group)], LocalList(call, version).OrderBy(e => e.IdToken, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Local_list_from_id_tokens_without_a_body_sends_every_stored_token(string version)
    {
        await using var station = await BootAsync(version);
        var token = "TKD-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await PutIdTokenAsync(token, """{"status":"Accepted"}""");

        using var response = await gateway.Http.PostAsync(CommandUri(station.Id, "local-list/from-id-tokens"), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        using var view = JsonDocument.Parse(body);
        var call = AssertSettled(station, view.RootElement, "SendLocalList", "Accepted");

        Assert.Contains((token, "Accepted", null), LocalList(call, version));
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Reserve_is_ReserveNow_with_connectorId_and_idTag_on_1_6_and_evseId_and_idToken_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "reserve",
            """{"reservationId":7,"expiryDateTime":"2030-01-01T12:00:00Z","idToken":"TAG-RV1","evseId":1}""", "ReserveNow");

        var expiry = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        if (version == V16)
        {
            Assert.Equal(7, call.Payload.GetProperty("reservationId").GetInt32());
            Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
            Assert.Equal("TAG-RV1", call.Payload.GetProperty("idTag").GetString());
            Assert.Equal(expiry, call.Payload.GetProperty("expiryDate").GetDateTimeOffset());
        }
        else
        {
            Assert.Equal(7, call.Payload.GetProperty("id").GetInt32());
            Assert.Equal(1, call.Payload.GetProperty("evseId").GetInt32());
            Assert.Equal("TAG-RV1", call.Payload.GetProperty("idToken").GetProperty("idToken").GetString());
            Assert.Equal(expiry, call.Payload.GetProperty("expiryDateTime").GetDateTimeOffset());
        }
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Cancel_reservation_sends_the_reservationId(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "cancel-reservation", """{"reservationId":7}""", "CancelReservation");

        Assert.Equal(7, call.Payload.GetProperty("reservationId").GetInt32());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Set_charging_profile_is_csChargingProfiles_with_one_schedule_on_1_6_and_chargingProfile_with_a_schedule_list_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);
        const string body = """
            {"evseId":1,"chargingProfile":{"id":10,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
             "chargingSchedules":[{"startSchedule":"2030-01-01T00:00:00Z","chargingRateUnit":"A","chargingSchedulePeriods":[{"startPeriod":0,"limit":16}]}]}}
            """;

        var call = await SendAcceptedAsync(station, "set-charging-profile", body, "SetChargingProfile");

        JsonElement schedule;
        if (version == V16)
        {
            Assert.Equal(1, call.Payload.GetProperty("connectorId").GetInt32());
            var profile = call.Payload.GetProperty("csChargingProfiles");
            Assert.Equal(10, profile.GetProperty("chargingProfileId").GetInt32());
            Assert.Equal("TxDefaultProfile", profile.GetProperty("chargingProfilePurpose").GetString());
            schedule = profile.GetProperty("chargingSchedule");
            Assert.Equal(JsonValueKind.Object, schedule.ValueKind);
        }
        else
        {
            Assert.Equal(1, call.Payload.GetProperty("evseId").GetInt32());
            var profile = call.Payload.GetProperty("chargingProfile");
            Assert.Equal(10, profile.GetProperty("id").GetInt32());
            Assert.Equal("TxDefaultProfile", profile.GetProperty("chargingProfilePurpose").GetString());
            schedule = Assert.Single(profile.GetProperty("chargingSchedule").EnumerateArray());
            Assert.Equal(1, schedule.GetProperty("id").GetInt32());
        }
        Assert.Equal("A", schedule.GetProperty("chargingRateUnit").GetString());
        var period = Assert.Single(schedule.GetProperty("chargingSchedulePeriod").EnumerateArray());
        Assert.Equal(0, period.GetProperty("startPeriod").GetInt32());
        Assert.Equal(16m, period.GetProperty("limit").GetDecimal());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Clear_charging_profile_by_id_is_id_on_1_6_and_chargingProfileId_on_2_0_1(string version)
    {
        await using var station = await BootAsync(version);

        var call = await SendAcceptedAsync(station, "clear-charging-profile", """{"chargingProfileId":10}""", "ClearChargingProfile");

        Assert.Equal(10, call.Payload.GetProperty(version == V16 ? "id" : "chargingProfileId").GetInt32());
    }

    [Theory]
    [InlineData(V16)]
    [InlineData(V201)]
    public async Task Composite_schedule_asks_for_the_connector_on_1_6_and_the_evse_on_2_0_1_and_returns_the_schedule(string version)
    {
        await using var station = await BootAsync(version);

        var view = await SendAsync(station, "composite-schedule", """{"duration":3600,"evseId":1,"chargingRateUnit":"A"}""");
        var call = AssertSettled(station, view, "GetCompositeSchedule", "Accepted");

        Assert.Equal(3600, call.Payload.GetProperty("duration").GetInt32());
        Assert.Equal("A", call.Payload.GetProperty("chargingRateUnit").GetString());
        Assert.Equal(1, call.Payload.GetProperty(version == V16 ? "connectorId" : "evseId").GetInt32());
        var response = view.GetProperty("response");
        Assert.Equal("Accepted", response.GetProperty("status").GetString());
        var schedule = response.GetProperty(version == V16 ? "chargingSchedule" : "schedule");
        Assert.Equal(16m, Assert.Single(schedule.GetProperty("chargingSchedulePeriod").EnumerateArray()).GetProperty("limit").GetDecimal());
    }

    [Theory]
    [InlineData(V16, "reset", """{"type":"onIdle"}""", "type onIdle")]
    [InlineData(V16, "reset", """{"type":"immediate","evseId":1}""", "evseId")]
    [InlineData(V16, "remote-stop", """{"transactionId":"tx-abc"}""", "transactionId")]
    [InlineData(V201, "unlock", """{"evseId":1}""", "connectorId")]
    [InlineData(V201, "get-configuration", "{}", "names")]
    [InlineData(V201, "reset", """{"type":"immediateAndResume"}""", "immediateAndResume")]
    [InlineData(V16, "send-local-list", """{"listVersion":1,"updateType":"Full","entries":[{"idToken":"TAG-1","status":"NoCredit"}]}""", "entries[0].status")]
    [InlineData(V16, "remote-start", """{"idToken":"TAG-THAT-IS-LONGER-THAN-20"}""", "idToken")]
    [InlineData(V201, "set-charging-profile", """{"evseId":1,"chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative","chargingSchedules":[{"chargingRateUnit":"A","chargingSchedulePeriods":[{"startPeriod":0,"limit":16}]}]}}""", "chargingProfile.transactionId")]
    public async Task A_request_the_stations_version_cannot_express_is_422_naming_the_field_and_nothing_is_sent(
        string version, string route, string body, string field)
    {
        await using var station = await BootAsync(version);

        var (status, problem) = await PostAsync(station.Id, route, body);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status} {problem.GetRawText()}");
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(field, detail, StringComparison.Ordinal);
        Assert.Contains(version == V16 ? "OCPP 1.6" : "OCPP 2.0.1", detail, StringComparison.Ordinal);
        Assert.Empty(station.Received);
    }

    [Theory]
    [InlineData("reset", """{"type":""")]
    [InlineData("reset", """{"type":5}""")]
    [InlineData("reset", "[]")]
    [InlineData("reset", "null")]
    [InlineData("remote-start", """{"evseId":1}""")]
    [InlineData("set-configuration", """{"settings":"HeartbeatInterval=600"}""")]
    public async Task A_malformed_body_is_400_and_nothing_is_sent(string route, string body)
    {
        await using var station = await BootAsync(V16);

        var (status, problem) = await PostAsync(station.Id, route, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem.GetRawText()}");
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), problem.GetRawText());
        Assert.Empty(station.Received);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_400_asking_for_json()
    {
        await using var station = await BootAsync(V201);

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"type":"immediate"}"""));
        using var response = await gateway.Http.PostAsync(CommandUri(station.Id, "reset"), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Contains("application/json", body, StringComparison.Ordinal);
        Assert.Empty(station.Received);
    }

    [Fact]
    public async Task A_body_sent_as_another_media_type_is_415()
    {
        await using var station = await BootAsync(V201);

        using var content = new StringContent("""{"type":"immediate"}""", Encoding.UTF8, "text/plain");
        using var response = await gateway.Http.PostAsync(CommandUri(station.Id, "reset"), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {body}");
        Assert.Empty(station.Received);
    }

    [Theory]
    [InlineData(V16, "reset", """{"type":"immediate"}""", "Reset", "Rejected")]
    [InlineData(V201, "reset", """{"type":"immediate"}""", "Reset", "Rejected")]
    [InlineData(V16, "unlock", """{"evseId":1,"connectorId":1}""", "UnlockConnector", "UnlockFailed")]
    [InlineData(V201, "unlock", """{"evseId":1,"connectorId":1}""", "UnlockConnector", "UnlockFailed")]
    public async Task A_station_that_refuses_gives_state_Rejected_with_its_answer(string version, string route, string body, string action, string answer)
    {
        await using var station = await BootAsync(version);
        station.Refusing = true;

        var view = await SendAsync(station, route, body);

        AssertSettled(station, view, action, "Rejected");
        Assert.Equal(answer, view.GetProperty("response").GetProperty("status").GetString());
    }

    private static string NewStationId() => $"tc-{Guid.NewGuid():N}"[..20];

    private Task<AnsweringStation> BootAsync(string version) => AnsweringStation.StartAsync(gateway, NewStationId(), version);

    private static Uri CommandUri(string stationId, string route) =>
        new($"api/v1/stations/{Uri.EscapeDataString(stationId)}/{route}?wait=10", UriKind.Relative);

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string stationId, string route, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PostAsync(CommandUri(stationId, route), content);
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = JsonDocument.Parse(body);
            return (response.StatusCode, document.RootElement.Clone());
        }
        catch (JsonException)
        {
            throw new XunitException($"POST {route}: {(int)response.StatusCode} with a body that is not JSON: {body}");
        }
    }

    /// <summary>Posts with ?wait=10 and expects the final outcome (200).</summary>
    private async Task<JsonElement> SendAsync(AnsweringStation station, string route, string json)
    {
        var (status, body) = await PostAsync(station.Id, route, json);
        Assert.True(status == HttpStatusCode.OK, $"POST {route} to a {station.SubProtocol} station: {(int)status} {body.GetRawText()}");
        return body;
    }

    /// <summary>Posts, expects the command accepted as <paramref name="action"/>, and returns the CALL the station received.</summary>
    private async Task<IncomingCall> SendAcceptedAsync(AnsweringStation station, string route, string json, string action)
    {
        var view = await SendAsync(station, route, json);
        return AssertSettled(station, view, action, "Accepted");
    }

    /// <summary>The command view is final in <paramref name="state"/>, and its payload is exactly what the station received.</summary>
    private static IncomingCall AssertSettled(AnsweringStation station, JsonElement view, string action, string state)
    {
        Assert.True(view.GetProperty("state").GetString() == state, $"expected {state}: {view.GetRawText()}");
        Assert.Equal(action, view.GetProperty("action").GetString());
        Assert.Equal(station.Id, view.GetProperty("stationId").GetString());
        var call = station.Single(action);
        Assert.Equal(view.GetProperty("commandId").GetString(), call.MessageId);
        Assert.True(JsonElement.DeepEquals(view.GetProperty("payload"), call.Payload),
            $"the API shows {view.GetProperty("payload").GetRawText()}, the station received {call.Payload.GetRawText()}");
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("response").ValueKind);
        return call;
    }

    private async Task PutIdTokenAsync(string idToken, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PutAsync(new Uri("api/v1/id-tokens/" + Uri.EscapeDataString(idToken), UriKind.Relative), content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT id token {idToken}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The list's entries as (token, status, group), read from either version's shape.</summary>
    private static (string IdToken, string? Status, string? Group)[] LocalList(IncomingCall call, string version) =>
        [.. call.Payload.GetProperty("localAuthorizationList").EnumerateArray().Select(entry =>
        {
            if (version == V16)
            {
                var info = entry.GetProperty("idTagInfo");
                return (entry.GetProperty("idTag").GetString()!, info.GetProperty("status").GetString(),
                    info.TryGetProperty("parentIdTag", out var parent) ? parent.GetString() : null);
            }
            var idToken = entry.GetProperty("idToken");
            Assert.Equal("ISO14443", idToken.GetProperty("type").GetString());
            var tokenInfo = entry.GetProperty("idTokenInfo");
            return (idToken.GetProperty("idToken").GetString()!, tokenInfo.GetProperty("status").GetString(),
                tokenInfo.TryGetProperty("groupIdToken", out var group) ? group.GetProperty("idToken").GetString() : null);
        })];
}
