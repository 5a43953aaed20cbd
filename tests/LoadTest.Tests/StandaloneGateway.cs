using Csms.Gateway;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Ledger;
using Csms.Grains.Interfaces.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Csms.LoadTest.Tests;

/// <summary>The real gateway in standalone mode on 127.0.0.1, shared by a test class; helpers to command stations and wait.</summary>
public sealed class StandaloneGateway : IAsyncLifetime
{
    private WebApplication _app = null!;

    public Uri Url { get; private set; } = null!;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public ITransactionLedger Ledger => _app.Services.GetRequiredService<ITransactionLedger>();

    /// <summary>The operator API with an admin key, as an operator's tool would call it.</summary>
    public HttpClient Api { get; private set; } = null!;

    private static readonly string AdminKey = $"test-admin-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        _app = CsmsGateway.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Standalone:SiloPort={Loopback.FreePort()}",
            $"--Standalone:GatewayPort={Loopback.FreePort()}",
            "--Gateway:DrainSeconds=0",
            "--Logging:LogLevel:Default=Warning",
            $"--Api:AdminKey={AdminKey}",
        ]);
        await _app.StartAsync();
        var http = _app.Urls.First().TrimEnd('/');
        Url = new Uri(http.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp");
        Api = new HttpClient { BaseAddress = new Uri(http + "/api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public IChargingStationGrain Station(string id) => Grains.GetGrain<IChargingStationGrain>(id.ToLowerInvariant());

    /// <summary>Sends a CSMS-initiated call through the station's grain and waits for its outcome.</summary>
    public async Task<CommandStatus> Command(string stationId, string action, string payloadJson)
    {
        var station = Station(stationId);
        var sent = await station.SendCommand(new CommandRequest(action, payloadJson, TimeSpan.FromSeconds(20)));
        CommandStatus? status = null;
        await Until(async () => (status = await station.GetCommand(sent.CommandId)) is { IsFinal: true }, $"{action} to {stationId} to complete");
        return status!;
    }

    /// <summary>The station's transactions in the ledger (completed ones).</summary>
    public async Task<IReadOnlyList<TransactionSnapshot>> Completed(string stationId) => await Ledger.ListAsync(stationId.ToLowerInvariant(), 100);

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
        }
    }

    public static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);
}
