using System.Text.Json;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;

namespace Csms.Grains.Tests.Cluster;

/// <summary>Drives a station grain the way the gateway does: Connect with a link observer, then HandleCall with JSON.</summary>
public sealed class StationDriver
{
    private readonly IClusterClient _client;
    private int _messageCounter;

    private StationDriver(IClusterClient client, string stationId, OcppVersion version)
    {
        _client = client;
        StationId = stationId;
        Version = version;
        Grain = client.GetGrain<IChargingStationGrain>(stationId);
    }

    public string StationId { get; }

    public OcppVersion Version { get; }

    public IChargingStationGrain Grain { get; }

    /// <summary>The observer object; held here so the reference stays alive for the test.</summary>
    public TestGatewayLink Link { get; private set; } = new();

    public IGatewayLink LinkReference { get; private set; } = null!;

    public long Epoch { get; private set; }

    public static string NewStationId() => $"cp-{Guid.NewGuid():N}";

    public static async Task<StationDriver> Connect(IClusterClient client, OcppVersion version, string? stationId = null)
    {
        var driver = new StationDriver(client, stationId ?? NewStationId(), version);
        await driver.Reconnect();
        return driver;
    }

    /// <summary>A new socket for the same station: a new link and a new epoch.</summary>
    public async Task Reconnect()
    {
        Link = new TestGatewayLink();
        LinkReference = _client.CreateObjectReference<IGatewayLink>(Link);
        var result = await Grain.Connect(new StationConnection("test-gateway", LinkReference, Version, "127.0.0.1", DateTimeOffset.UtcNow));
        Epoch = result.Epoch;
        // as the gateway does once it has registered the socket under this epoch
        await Grain.Attached(Epoch);
    }

    public string NextMessageId() => $"m-{Interlocked.Increment(ref _messageCounter)}-{Guid.NewGuid():N}"[..36];

    public Task<CallReply> Call(string action, string payloadJson, string? messageId = null, long? epoch = null) =>
        Grain.HandleCall(epoch ?? Epoch, new InboundCall(messageId ?? NextMessageId(), action, payloadJson));

    /// <summary>A call that must be answered with a CALLRESULT; returns its payload.</summary>
    public async Task<JsonElement> CallOk(string action, string payloadJson, string? messageId = null)
    {
        var reply = await Call(action, payloadJson, messageId);
        Assert.False(reply.IsError, $"{action} was answered {reply.ErrorCode}: {reply.ErrorDescription}");
        Assert.NotNull(reply.PayloadJson);
        return Parse(reply.PayloadJson);
    }

    public async Task<JsonElement> Boot()
    {
        var payload = Version == OcppVersion.V16
            ? """{"chargePointVendor":"TestVendor","chargePointModel":"TestModel","firmwareVersion":"1.0.0"}"""
            : """{"chargingStation":{"model":"TestModel","vendorName":"TestVendor","firmwareVersion":"1.0.0"},"reason":"PowerUp"}""";
        return await CallOk("BootNotification", payload);
    }

    public async Task BootAccepted()
    {
        var response = await Boot();
        Assert.Equal("Accepted", response.GetProperty("status").GetString());
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// OCPP timestamps for test payloads: from a day ago, whole seconds, so they are neither in the future nor stale to the
/// CSMS (which flags transactions whose timestamps are far from when it received them).
/// </summary>
public static class Times
{
    public static readonly DateTimeOffset T0 = WholeSecond(DateTimeOffset.UtcNow.AddDays(-1));

    private static DateTimeOffset WholeSecond(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public static string At(int minutes) => T0.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
