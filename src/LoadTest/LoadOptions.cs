using System.Globalization;
using Csms.Ocpp;

namespace Csms.LoadTest;

public enum Scenario
{
    /// <summary>Boot, status, heartbeats.</summary>
    Idle,
    /// <summary>Transactions with meter values, one after another.</summary>
    Charging,
    /// <summary>Idle, then every station drops and reconnects at once, half way through.</summary>
    Storm,
    /// <summary>Half charging, half idle.</summary>
    Mixed,
}

/// <summary>The command line. Unknown or malformed options are errors with a message, never ignored.</summary>
public sealed record LoadOptions
{
    public required Uri Url { get; init; }
    public int Stations { get; init; } = 100;
    public double Ramp { get; init; } = 50;
    public int DurationSeconds { get; init; } = 60;
    public string Version { get; init; } = "1.6";
    public Scenario Scenario { get; init; } = Scenario.Idle;
    public string? ReportFile { get; init; }
    public string IdPrefix { get; init; } = "vs";
    public int MeterIntervalSeconds { get; init; } = 10;
    public int HeartbeatSeconds { get; init; }
    public int TransactionSeconds { get; init; } = 60;
    /// <summary>Site probe: the site's capacity; when set, the run is the site probe instead of a scenario.</summary>
    public decimal? SiteAmps { get; init; }
    public int SiteRounds { get; init; } = 5;
    public string? ApiKey { get; init; } = Environment.GetEnvironmentVariable("CSMS_API_KEY");

    public const string Usage = """
        usage: dotnet run -c Release --project src/LoadTest -- --url ws://localhost:8080/ocpp [options]
          --url URL             the CSMS's OCPP-J endpoint; stations connect to URL/<id>
          --stations N          virtual stations (default 100)
          --ramp R              stations connected per second (default 50)
          --duration S          seconds to run after the ramp starts (default 60)
          --version V           1.6, 2.0.1, 2.1 or mixed (default 1.6)
          --scenario S          idle, charging, storm or mixed (default idle)
          --report FILE         write the report as JSON to FILE and as markdown to FILE.md
          --id-prefix P         station ids are P-00001, P-00002, ... (default vs)
          --meter-interval S    seconds between meter values while charging (default 10)
          --transaction S       length of one charging session in seconds (default 60)
          --heartbeat S         heartbeat interval; default: the one the CSMS gives at boot
          --site-amps A         site probe instead of a scenario: all stations join one site of A amperes (through
                                the operator API at the same host), all but --site-rounds of them charge, then the
                                rest start one by one; each start is timed until every station accepted its new limit
          --site-rounds N       sessions started and timed one by one in the site probe (default 5)
          --api-key KEY         the operator API key for the site probe (admin; default: $CSMS_API_KEY)
        """;

    public OcppVersion VersionFor(int index) => Version switch
    {
        "1.6" => OcppVersion.V16,
        "2.0.1" => OcppVersion.V201,
        "2.1" => OcppVersion.V21,
        _ => (index % 3) switch { 0 => OcppVersion.V16, 1 => OcppVersion.V201, _ => OcppVersion.V21 },
    };

    public static LoadOptions Parse(string[] args)
    {
        Uri? url = null;
        var options = new LoadOptions { Url = new Uri("ws://localhost") };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), CultureInfo.InvariantCulture, out var n) && n >= min
                ? n : throw new ArgumentException($"{name} must be an integer of at least {min}");
            options = name switch
            {
                "--url" => options with { Url = url = Uri.TryCreate(Value(), UriKind.Absolute, out var u) && u.Scheme is "ws" or "wss"
                    ? u : throw new ArgumentException("--url must be a ws:// or wss:// URL") },
                "--stations" => options with { Stations = Int(1) },
                "--ramp" => options with { Ramp = double.TryParse(Value(), CultureInfo.InvariantCulture, out var r) && r > 0
                    ? r : throw new ArgumentException("--ramp must be a positive number") },
                "--duration" => options with { DurationSeconds = Int(1) },
                "--version" => options with { Version = Value() is var v && v is "1.6" or "2.0.1" or "2.1" or "mixed"
                    ? v : throw new ArgumentException("--version must be 1.6, 2.0.1, 2.1 or mixed") },
                "--scenario" => options with { Scenario = Enum.TryParse<Scenario>(Value(), ignoreCase: true, out var s)
                    ? s : throw new ArgumentException("--scenario must be idle, charging, storm or mixed") },
                "--report" => options with { ReportFile = Value() },
                "--id-prefix" => options with { IdPrefix = Value() },
                "--meter-interval" => options with { MeterIntervalSeconds = Int(1) },
                "--transaction" => options with { TransactionSeconds = Int(1) },
                "--heartbeat" => options with { HeartbeatSeconds = Int(1) },
                "--site-amps" => options with { SiteAmps = decimal.TryParse(Value(), CultureInfo.InvariantCulture, out var a) && a > 0
                    ? a : throw new ArgumentException("--site-amps must be a positive number") },
                "--site-rounds" => options with { SiteRounds = Int(1) },
                "--api-key" => options with { ApiKey = Value() },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }
        if (url is null)
        {
            throw new ArgumentException("--url is required");
        }
        if (options.SiteAmps is not null && (options.ApiKey is null || options.SiteRounds >= options.Stations))
        {
            throw new ArgumentException("the site probe needs --api-key (or CSMS_API_KEY) and more --stations than --site-rounds");
        }
        return options;
    }
}
