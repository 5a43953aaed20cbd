using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Grains.Interfaces.Stations;

namespace Csms.LoadTest.Tests;

/// <summary>
/// One virtual station at a time against the real standalone gateway: what it does when the CSMS commands it, and how it
/// keeps its transaction messages through an outage. The CSMS's own view (its grains and ledger) is the evidence.
/// </summary>
public sealed class VirtualStationBehaviourTests(StandaloneGateway gateway) : StationTestBase, IClassFixture<StandaloneGateway>
{
    public static TheoryData<string> Versions => ["1.6", "2.0.1", "2.1"];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task E04_messages_of_a_transaction_that_charges_through_an_outage_are_queued_and_replayed_in_order(string version)
    {
        var (station, stats) = await Start(version, charges: true, transactionSeconds: 8);
        await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).ActiveTransactions.Count == 1, "a transaction to start");

        station.GoOffline(TimeSpan.FromSeconds(4));
        await StandaloneGateway.Until(() => station.QueuedMessages >= 2, "meter values to queue up while offline");
        await StandaloneGateway.Until(async () => (await gateway.Completed(station.Id)).Count >= 1, "the transaction to reach the ledger");

        var transaction = (await gateway.Completed(station.Id))[^1];
        Assert.True(transaction.EnergyWh > 0, $"energy {transaction.EnergyWh}");
        Assert.Empty(transaction.Flags);
        Assert.Equal(0, transaction.MissingSeqNoCount);
        if (version != "1.6")
        {
            Assert.True(transaction.OfflineEvents > 0, "no event was marked offline");
        }
        Assert.Empty(stats.ErrorsByCode);
        Assert.True(stats.Reconnects >= 1);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task F01_F03_a_remote_start_charges_until_the_remote_stop(string version)
    {
        var (station, _) = await Start(version);
        var v16 = version == "1.6";

        var start = await gateway.Command(station.Id, v16 ? "RemoteStartTransaction" : "RequestStartTransaction", v16
            ? """{"connectorId":1,"idTag":"REMOTE-1"}"""
            : """{"evseId":1,"remoteStartId":42,"idToken":{"idToken":"REMOTE-1","type":"ISO14443"}}""");
        Assert.Equal(CommandState.Accepted, start.State);
        string? transactionId = null;
        await StandaloneGateway.Until(async () =>
            (transactionId = (await gateway.Station(station.Id).GetSnapshot()).ActiveTransactions.FirstOrDefault()?.TransactionId) is not null,
            "the remotely started transaction");
        Assert.True(station.PowerWatts > 0);

        // F01.FR.24: the EVSE is busy now
        var second = await gateway.Command(station.Id, v16 ? "RemoteStartTransaction" : "RequestStartTransaction", v16
            ? """{"connectorId":1,"idTag":"REMOTE-2"}"""
            : """{"evseId":1,"remoteStartId":43,"idToken":{"idToken":"REMOTE-2","type":"ISO14443"}}""");
        Assert.Equal(CommandState.Rejected, second.State);
        // F03.FR.08: an unknown transaction cannot be stopped
        var wrongStop = await gateway.Command(station.Id, v16 ? "RemoteStopTransaction" : "RequestStopTransaction",
            v16 ? """{"transactionId":999999}""" : """{"transactionId":"not-this-one"}""");
        Assert.Equal(CommandState.Rejected, wrongStop.State);

        var stop = await gateway.Command(station.Id, v16 ? "RemoteStopTransaction" : "RequestStopTransaction",
            v16 ? $$"""{"transactionId":{{transactionId}}}""" : $$"""{"transactionId":"{{transactionId}}"}""");
        Assert.Equal(CommandState.Accepted, stop.State);
        await StandaloneGateway.Until(async () => (await gateway.Completed(station.Id)).Count == 1, "the stopped transaction in the ledger");
        var done = (await gateway.Completed(station.Id))[0];
        Assert.Equal(transactionId, done.TransactionId);
        Assert.Equal("REMOTE-1", done.IdToken);
        Assert.Equal("Remote", done.StoppedReason);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task K01_the_station_draws_power_within_the_limit_of_its_charging_profiles(string version)
    {
        var (station, _) = await Start(version);
        var v16 = version == "1.6";

        // K01.FR.09: a TxProfile needs a transaction
        var early = await gateway.Command(station.Id, "SetChargingProfile", Profile(v16, 1, "TxProfile", "A", 6, evse: 1));
        Assert.Equal(CommandState.Rejected, early.State);

        await gateway.Command(station.Id, v16 ? "RemoteStartTransaction" : "RequestStartTransaction", v16
            ? """{"connectorId":1,"idTag":"SMART-1"}"""
            : """{"evseId":1,"remoteStartId":7,"idToken":{"idToken":"SMART-1","type":"ISO14443"}}""");
        await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).ActiveTransactions.Count == 1, "the transaction");
        Assert.Equal(ChargingLimits.HardwareMaxWatts, station.PowerWatts);
        if (v16)
        {
            // 1.6: a TxProfile names the transaction by the id the CSMS gave; wait until the station has it
            await Task.Delay(200);
        }

        // 6 A on one phase: 1380 W
        var tx = await gateway.Command(station.Id, "SetChargingProfile", Profile(v16, 1, "TxProfile", "A", 6, evse: 1, phases: 1));
        Assert.Equal(CommandState.Accepted, tx.State);
        Assert.Equal(1380, station.PowerWatts);

        // a station maximum below it wins; above it, the TxProfile does
        var max = await gateway.Command(station.Id, "SetChargingProfile",
            Profile(v16, 2, v16 ? "ChargePointMaxProfile" : "ChargingStationMaxProfile", "W", 1000, evse: 0));
        Assert.Equal(CommandState.Accepted, max.State);
        Assert.Equal(1000, station.PowerWatts);
        Assert.Equal(1000, station.LimitWatts);

        var clear = await gateway.Command(station.Id, "ClearChargingProfile", v16 ? """{"id":2}""" : """{"chargingProfileId":2}""");
        Assert.Equal(CommandState.Accepted, clear.State);
        Assert.Equal(1380, station.PowerWatts);
        var clearAgain = await gateway.Command(station.Id, "ClearChargingProfile", v16 ? """{"id":2}""" : """{"chargingProfileId":2}""");
        Assert.Equal("Unknown", Status(clearAgain));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task B11_B12_a_reset_reboots_the_station_and_it_boots_again(string version)
    {
        var (station, _) = await Start(version);
        var before = (await gateway.Station(station.Id).GetSnapshot()).Boot!.BootedAt;

        var reset = await gateway.Command(station.Id, "Reset", version == "1.6" ? """{"type":"Soft"}""" : """{"type":"Immediate"}""");

        Assert.Equal(CommandState.Accepted, reset.State);
        await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).Boot!.BootedAt > before, "the boot after the reset");
        var boot = (await gateway.Station(station.Id).GetSnapshot()).Boot!;
        if (version != "1.6")
        {
            Assert.Equal("RemoteReset", boot.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task F06_triggered_messages_are_sent_after_the_answer(string version)
    {
        var (station, _) = await Start(version);
        var before = (await gateway.Station(station.Id).GetSnapshot()).Boot!.BootedAt;

        var heartbeat = await gateway.Command(station.Id, "TriggerMessage", """{"requestedMessage":"Heartbeat"}""");
        Assert.Equal(CommandState.Accepted, heartbeat.State);
        await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).LastHeartbeat is not null, "the triggered heartbeat");

        var boot = await gateway.Command(station.Id, "TriggerMessage", """{"requestedMessage":"BootNotification"}""");
        if (version == "1.6")
        {
            Assert.Equal(CommandState.Accepted, boot.State);
            await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).Boot!.BootedAt > before, "the triggered boot");
        }
        else
        {
            Assert.Equal("Rejected", Status(boot)); // F06.FR.17: already accepted
        }
        var unknown = await gateway.Command(station.Id, "TriggerMessage",
            version == "1.6" ? """{"requestedMessage":"DiagnosticsStatusNotification"}""" : """{"requestedMessage":"SignChargingStationCertificate"}""");
        Assert.Equal(version == "1.6" ? "Accepted" : "NotImplemented", Status(unknown)); // F06.FR.08
    }

    [Fact]
    public async Task V16_configuration_keys_are_read_and_changed_and_a_changed_heartbeat_interval_is_used()
    {
        var (station, _) = await Start("1.6");

        var get = await gateway.Command(station.Id, "GetConfiguration", """{"key":["HeartbeatInterval","NoSuchKey"]}""");
        using (var answer = JsonDocument.Parse(get.ResponseJson!))
        {
            Assert.Equal("HeartbeatInterval", answer.RootElement.GetProperty("configurationKey")[0].GetProperty("key").GetString());
            Assert.Equal("NoSuchKey", answer.RootElement.GetProperty("unknownKey")[0].GetString());
        }
        Assert.Equal("Accepted", Status(await gateway.Command(station.Id, "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"1"}""")));
        Assert.Equal("Rejected", Status(await gateway.Command(station.Id, "ChangeConfiguration", """{"key":"NumberOfConnectors","value":"2"}""")));
        Assert.Equal("Rejected", Status(await gateway.Command(station.Id, "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"soon"}""")));
        Assert.Equal("NotSupported", Status(await gateway.Command(station.Id, "ChangeConfiguration", """{"key":"NoSuchKey","value":"1"}""")));

        // with a 1 s interval, heartbeats keep arriving
        var first = (await gateway.Station(station.Id).GetSnapshot()).LastHeartbeat;
        await StandaloneGateway.Until(async () => (await gateway.Station(station.Id).GetSnapshot()).LastHeartbeat > (first ?? DateTimeOffset.MinValue), "a heartbeat at the new interval");
    }

    [Theory]
    [InlineData("2.0.1")]
    [InlineData("2.1")]
    public async Task B05_B06_variables_are_read_and_set_one_result_per_variable(string version)
    {
        var (station, _) = await Start(version);

        var set = await gateway.Command(station.Id, "SetVariables", """
            {"setVariableData":[
              {"attributeValue":"2","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},
              {"attributeValue":"99","component":{"name":"SmartChargingCtrlr"},"variable":{"name":"ProfileStackLevel"}},
              {"attributeValue":"1","component":{"name":"NoSuchCtrlr"},"variable":{"name":"X"}},
              {"attributeValue":"1","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"NoSuchVariable"}}]}
            """);
        var get = await gateway.Command(station.Id, "GetVariables", """
            {"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}
            """);

        using var setAnswer = JsonDocument.Parse(set.ResponseJson!);
        Assert.Equal(["Accepted", "Rejected", "UnknownComponent", "UnknownVariable"],
            setAnswer.RootElement.GetProperty("setVariableResult").EnumerateArray().Select(r => r.GetProperty("attributeStatus").GetString()));
        using var getAnswer = JsonDocument.Parse(get.ResponseJson!);
        var result = getAnswer.RootElement.GetProperty("getVariableResult")[0];
        Assert.Equal("Accepted", result.GetProperty("attributeStatus").GetString());
        Assert.Equal("2", result.GetProperty("attributeValue").GetString());
    }

    private async Task<(VirtualStation Station, LoadStats Stats)> Start(string version, bool charges = false, int transactionSeconds = 60)
    {
        var options = new LoadOptions
        {
            Url = gateway.Url, Version = version, MeterIntervalSeconds = 1, TransactionSeconds = transactionSeconds, HeartbeatSeconds = 300,
        };
        var stats = new LoadStats();
        var id = $"vb-{Guid.NewGuid():N}"[..16];
        var station = new VirtualStation(id, options.VersionFor(0), options, stats, charges);
        Run(station);
        await StandaloneGateway.Until(() => station.IsOnline, $"{id} to boot");
        return (station, stats);
    }

    private static string? Status(CommandStatus command)
    {
        Assert.NotNull(command.ResponseJson);
        using var answer = JsonDocument.Parse(command.ResponseJson);
        return answer.RootElement.GetProperty("status").GetString();
    }

    private static string Profile(bool v16, int id, string purpose, string unit, double limit, int evse, int? phases = null)
    {
        var period = new JsonObject { ["startPeriod"] = 0, ["limit"] = limit };
        if (phases is { } p)
        {
            period["numberPhases"] = p;
        }
        var kind = purpose == "TxProfile" ? "Relative" : "Absolute";
        var schedule = new JsonObject { ["chargingRateUnit"] = unit, ["chargingSchedulePeriod"] = new JsonArray(period) };
        if (kind == "Absolute")
        {
            schedule["startSchedule"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture); // K01.FR.40
        }
        var profile = new JsonObject
        {
            [v16 ? "chargingProfileId" : "id"] = id, ["stackLevel"] = 0, ["chargingProfilePurpose"] = purpose, ["chargingProfileKind"] = kind,
        };
        if (v16)
        {
            profile["chargingSchedule"] = schedule;
            return new JsonObject { ["connectorId"] = evse, ["csChargingProfiles"] = profile }.ToJsonString();
        }
        schedule["id"] = 1;
        profile["chargingSchedule"] = new JsonArray(schedule);
        return new JsonObject { ["evseId"] = evse, ["chargingProfile"] = profile }.ToJsonString();
    }
}
