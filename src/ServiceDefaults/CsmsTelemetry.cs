using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Csms.ServiceDefaults;

/// <summary>Our activity source and meter. Metric tags stay bounded: action, version, result; never station ids.</summary>
public static class CsmsTelemetry
{
    public const string SourceName = "Csms";
    public const string MeterName = "Csms";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("csms.ocpp.messages", description: "OCPP messages received, by action, version and result");

    public static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>("csms.ocpp.call.duration", unit: "ms",
        description: "Time from a station's CALL to our answer");

    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("csms.ocpp.connections", description: "Open station connections");
}
