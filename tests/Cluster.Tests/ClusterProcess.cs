using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Csms.Cluster.Tests;

/// <summary>A silo or gateway running as its own OS process, as in production, with its output kept for failure messages.</summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ClusterProcess(string name, Process process, Uri http)
    {
        Name = name;
        _process = process;
        Http = http;
    }

    /// <summary>The operator API admin key every test gateway is configured with.</summary>
    public const string AdminKey = "cluster-test-admin-key-0123456789";

    public string Name { get; }

    public Uri Http { get; }

    public int Pid => _process.Id;

    public bool Exited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ClusterProcess Start(string name, string project, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(PostgresServer.RepositoryRoot(), "src", project, "bin", Configuration(), "net10.0", $"Csms.{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first");
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new ClusterProcess(name, process, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>A 1.6 test station connected to this gateway.</summary>
    public Task<TestStation> ConnectStationAsync(string stationId) =>
        TestStation.ConnectAsync(new Uri($"ws://127.0.0.1:{Http.Port}/ocpp/{stationId}"), "ocpp1.6");

    /// <summary><c>GET /api/v1/stations/{id}</c> on this gateway.</summary>
    public async Task<JsonElement> StationSnapshotAsync(string stationId)
    {
        using var http = ApiClient();
        return await http.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{stationId}");
    }

    /// <summary>An HTTP client for this gateway's operator API, with the admin key (dispose it).</summary>
    public HttpClient ApiClient()
    {
        var http = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return http;
    }

    public async Task WaitReadyAsync(TimeSpan? limit = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync(new Uri(Http, "/readyz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not ready in time:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no flush, as when a node dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: the graceful shutdown Kubernetes gives a pod.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not stop within 60 s of SIGTERM:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The build configuration the tests run in (bin/Debug or bin/Release), so the processes match it.</summary>
    private static string Configuration()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(parts, "bin");
        return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
    }
}
