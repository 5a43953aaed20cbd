using System.Net;
using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Csms.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Csms.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SiloHostTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Grain_state_survives_a_restart_of_the_silo()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var clusterId = $"restart-{Guid.NewGuid():N}";
        var stationId = $"cp-{Guid.NewGuid():N}"[..20];

        await using (var first = await RunningSilo.StartAsync(database, clusterId))
        {
            var station = first.Client.GetGrain<IChargingStationGrain>(stationId);
            var epoch = (await station.Connect(new StationConnection("test", first.Link, OcppVersion.V16, null, DateTimeOffset.UtcNow))).Epoch;
            await Ok(station.HandleCall(epoch, new InboundCall("1", "BootNotification", """{"chargePointVendor":"Acme","chargePointModel":"One"}""")));
            await Ok(station.HandleCall(epoch, new InboundCall("2", "StartTransaction",
                """{"connectorId":1,"idTag":"T1","meterStart":100,"timestamp":"2026-01-01T10:00:00Z"}""")));
        }

        await using var second = await RunningSilo.StartAsync(database, clusterId);
        var snapshot = await second.Client.GetGrain<IChargingStationGrain>(stationId).GetSnapshot();

        Assert.Equal(RegistrationStatus.Accepted, snapshot.Registration);
        Assert.Equal("Acme", snapshot.Boot!.Vendor);
        var transaction = Assert.Single(snapshot.ActiveTransactions);
        Assert.Equal(100m, transaction.MeterStartWh);
    }

    [Fact]
    public async Task Health_endpoints_answer_once_the_silo_has_started()
    {
        await using var silo = await RunningSilo.StartAsync(await postgres.Server.CreateDatabaseAsync(), $"health-{Guid.NewGuid():N}");
        using var http = new HttpClient { BaseAddress = new Uri(silo.App.Urls.First()) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public void A_silo_without_a_connection_string_fails_naming_the_setting_to_fix()
    {
        var error = Assert.Throws<CsmsConfigurationException>(() => CsmsSilo.Build(["--ConnectionStrings:Csms="]));

        Assert.Contains("ConnectionStrings__Csms", error.Message);
    }

    [Fact]
    public async Task A_silo_whose_database_cannot_be_reached_fails_to_start_naming_the_setting()
    {
        var app = CsmsSilo.Build([
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:Csms=Host=127.0.0.1;Port={Loopback.FreePort()};Username=nobody;Database=none;Timeout=3",
            $"--Silo:SiloPort={Loopback.FreePort()}", $"--Silo:GatewayPort={Loopback.FreePort()}",
        ]);

        var error = await Assert.ThrowsAsync<CsmsConfigurationException>(() => app.StartAsync());

        Assert.Contains("ConnectionStrings:Csms", error.Message);
        await app.DisposeAsync();
    }

    private static async Task Ok(Task<CallReply> reply)
    {
        var result = await reply;
        Assert.False(result.IsError, result.ErrorDescription);
    }

    /// <summary>A silo on PostgreSQL plus an Orleans client of it, both on free loopback ports.</summary>
    private sealed class RunningSilo : IAsyncDisposable
    {
        private readonly IHost _client;

        private RunningSilo(WebApplication app, IHost client)
        {
            App = app;
            _client = client;
            Client = client.Services.GetRequiredService<IClusterClient>();
            Link = Client.CreateObjectReference<IGatewayLink>(_observer);
        }

        // held strongly: Orleans keeps observers only weakly
        private readonly SilentLink _observer = new();

        public WebApplication App { get; }

        public IClusterClient Client { get; }

        public IGatewayLink Link { get; }

        public static async Task<RunningSilo> StartAsync(string connectionString, string clusterId)
        {
            var app = CsmsSilo.Build([
                "--urls", "http://127.0.0.1:0",
                $"--ConnectionStrings:Csms={connectionString}",
                $"--Orleans:ClusterId={clusterId}",
                "--Silo:AdvertisedAddress=127.0.0.1",
                $"--Silo:SiloPort={Loopback.FreePort()}",
                $"--Silo:GatewayPort={Loopback.FreePort()}",
            ]);
            await app.StartAsync();

            var client = Host.CreateApplicationBuilder();
            client.UseOrleansClient(c => c.UseCsmsPostgres(new CsmsClusterSettings(connectionString, clusterId, "csms", MigrateOnStartup: false)));
            var host = client.Build();
            await host.StartAsync();
            return new RunningSilo(app, host);
        }

        public async ValueTask DisposeAsync()
        {
            await _client.StopAsync();
            _client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private sealed class SilentLink : IGatewayLink
    {
        public Task Send(string stationId, long epoch, string frame) => Task.CompletedTask;

        public Task Close(string stationId, long epoch, string reason) => Task.CompletedTask;
    }
}
