using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Have the station upload a log. 1.6: a DiagnosticsLog is GetDiagnostics (core), a SecurityLog is the security
/// extension's GetLog (white paper N01). 2.x: GetLog (N01); 2.1 adds DataCollectorLog.
/// </summary>
public sealed record GetLogCommand : OperatorCommand
{
    /// <summary>URI the station uploads the file to.</summary>
    public required string RemoteLocation { get; init; }

    /// <summary>"DiagnosticsLog" (default), "SecurityLog" or, 2.1 only, "DataCollectorLog".</summary>
    public string? LogType { get; init; }

    /// <summary>Oldest entry to include (1.6 GetDiagnostics: startTime).</summary>
    public DateTimeOffset? OldestTimestamp { get; init; }

    /// <summary>Newest entry to include (1.6 GetDiagnostics: stopTime).</summary>
    public DateTimeOffset? LatestTimestamp { get; init; }

    public int? Retries { get; init; }

    /// <summary>Seconds between upload retries.</summary>
    public int? RetryInterval { get; init; }

    /// <summary>Echoed in LogStatusNotification (not by 1.6 GetDiagnostics); derived from the request when omitted.</summary>
    public int? RequestId { get; init; }

    private static readonly string[] LogTypes = ["DiagnosticsLog", "SecurityLog", "DataCollectorLog"];

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (string.IsNullOrEmpty(RemoteLocation))
        {
            throw JsonPayload.Required("remoteLocation", "the URI to upload the log to");
        }
        var logType = LogType is null
            ? "DiagnosticsLog"
            : JsonPayload.Canonical(LogType, LogTypes)
                ?? throw new CommandNotExpressibleException($"logType '{LogType}' is not DiagnosticsLog, SecurityLog or DataCollectorLog.");
        if (logType == "DataCollectorLog" && version != OcppVersion.V21)
        {
            throw new CommandNotExpressibleException(
                $"logType DataCollectorLog is new in OCPP 2.1 and cannot be expressed in OCPP {version.Number()}: use DiagnosticsLog.");
        }

        if (version == OcppVersion.V16 && logType == "DiagnosticsLog")
        {
            if (!Uri.TryCreate(RemoteLocation, UriKind.Absolute, out _))
            {
                throw new CommandNotExpressibleException("remoteLocation must be an absolute URI for OCPP 1.6 GetDiagnostics, e.g. ftp://host/logs/.");
            }
            return [new OcppCall("GetDiagnostics", new JsonObject { ["location"] = RemoteLocation }
                .Put("retries", Retries)
                .Put("retryInterval", RetryInterval)
                .Put("startTime", JsonPayload.Timestamp(OldestTimestamp))
                .Put("stopTime", JsonPayload.Timestamp(LatestTimestamp)))];
        }

        var log = new JsonObject { ["remoteLocation"] = RemoteLocation }
            .Put("oldestTimestamp", JsonPayload.Timestamp(OldestTimestamp))
            .Put("latestTimestamp", JsonPayload.Timestamp(LatestTimestamp));
        return [new OcppCall("GetLog", new JsonObject
        {
            ["log"] = log,
            ["logType"] = logType,
            ["requestId"] = RequestId ?? OcppRequestIds.FromParts("GetLog", logType, RemoteLocation, OldestTimestamp, LatestTimestamp),
        }.Put("retries", Retries).Put("retryInterval", RetryInterval))];
    }
}
