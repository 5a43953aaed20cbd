using System.Net;
using System.Net.Sockets;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Csms.Silo.Tests;

public sealed class SiloHostTests : IAsyncLifetime
{
    private readonly int _gatewayPort = FreePort();
    private WebApplication _silo = null!;
    private IHost _client = null!;

    public async Task InitializeAsync()
    {
        _silo = CsmsSilo.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Silo:SiloPort={FreePort()}",
            $"--Silo:GatewayPort={_gatewayPort}",
        ]);
        await _silo.StartAsync();

        var client = Host.CreateApplicationBuilder();
        client.UseOrleansClient(c => c.UseLocalhostClustering(_gatewayPort));
        _client = client.Build();
        await _client.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
        await _silo.StopAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public async Task A_client_reaches_the_station_grains_hosted_by_the_silo()
    {
        var grains = _client.Services.GetRequiredService<IClusterClient>();
        var link = grains.CreateObjectReference<IGatewayLink>(new SilentLink());
        var station = grains.GetGrain<IChargingStationGrain>("silo-test-1");

        var epoch = (await station.Connect(new StationConnection("test", link, OcppVersion.V16, null, DateTimeOffset.UtcNow))).Epoch;
        var reply = await station.HandleCall(epoch, new InboundCall("1", "BootNotification",
            """{"chargePointVendor":"Acme","chargePointModel":"One"}"""));

        Assert.False(reply.IsError, reply.ErrorDescription);
        Assert.Contains("\"Accepted\"", reply.PayloadJson);
        var snapshot = await station.GetSnapshot();
        Assert.Equal(RegistrationStatus.Accepted, snapshot.Registration);
        Assert.Equal("Acme", snapshot.Boot!.Vendor);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_endpoints_answer_once_the_silo_has_started(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_silo.Urls.First()) };

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class SilentLink : IGatewayLink
    {
        public Task Send(string stationId, long epoch, string frame) => Task.CompletedTask;

        public Task Close(string stationId, long epoch, string reason) => Task.CompletedTask;
    }
}
