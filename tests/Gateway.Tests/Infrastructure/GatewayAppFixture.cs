using System.Net;
using System.Net.Sockets;
using Csms.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Csms.Gateway.Tests.Infrastructure;

/// <summary>
/// One real gateway (Kestrel on 127.0.0.1 plus its co-hosted standalone silo) per test class. Every port is picked
/// free at start-up so several fixtures can run side by side.
/// </summary>
public class GatewayAppFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri HttpBase { get; private set; } = null!;

    public Uri WebSocketBase { get; private set; } = null!;

    /// <summary>The operator API's admin key of this gateway (given by configuration, as automation would).</summary>
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    /// <summary>An HTTP client that sends <see cref="AdminKey"/>.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>An HTTP client without credentials.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A client that sends <paramref name="apiKey"/> (dispose it).</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    public WebApplication App => _app ?? throw new InvalidOperationException("the gateway has not been started");

    /// <summary>Extra configuration for a derived fixture, as command-line style arguments.</summary>
    protected virtual IEnumerable<string> ExtraArgs => [];

    public async Task InitializeAsync()
    {
        // a port found free can be taken by another fixture before we bind it: try again with fresh ports
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (Exception ex) when (attempt < 3 && ex is IOException or SocketException or OrleansException)
            {
                await DisposeAsync();
                _app = null;
            }
        }
    }

    private async Task StartAsync()
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Standalone:SiloPort={Loopback.FreePort()}",
            $"--Standalone:GatewayPort={Loopback.FreePort()}",
            "--Gateway:GatewayId=test-gateway",
            // no drain pause when a fixture is disposed; the drain has its own fixture
            "--Gateway:DrainSeconds=0",
            $"--Api:AdminKey={AdminKey}",
            $"--Logging:LogLevel:Default={Environment.GetEnvironmentVariable("CSMS_TEST_LOG_LEVEL") ?? "Warning"}",
            .. ExtraArgs,
        ];
        _app = CsmsGateway.Build(args);
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StartAsync(startup.Token);
        var address = _app.Urls.Single(u => u.StartsWith("http://", StringComparison.Ordinal));
        HttpBase = new Uri(address.TrimEnd('/') + "/");
        WebSocketBase = new Uri("ws://" + HttpBase.Authority + "/");
        Http = ClientWithKey(AdminKey);
        Anonymous = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(30) };
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _app.StopAsync(stopping.Token);
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }
    }

    /// <summary>Connects a test station; the path segment is used exactly as given (already percent-encoded if needed).</summary>
    public Task<TestStation> ConnectAsync(string encodedIdentity, params string[] subprotocols) =>
        TestStation.ConnectAsync(new Uri(WebSocketBase, "ocpp/" + encodedIdentity), subprotocols);
}

/// <summary>A gateway whose frame limit is small enough to exceed with an ordinary message.</summary>
public sealed class SmallFrameGatewayFixture : GatewayAppFixture
{
    public const int MaxMessageBytes = 2048;

    protected override IEnumerable<string> ExtraArgs => [$"--Gateway:MaxMessageBytes={MaxMessageBytes}"];
}

/// <summary>A gateway that drains over a short window, for shutdown tests; the test stops it.</summary>
public sealed class DrainingGatewayFixture : GatewayAppFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Gateway:DrainSeconds=2"];
}
