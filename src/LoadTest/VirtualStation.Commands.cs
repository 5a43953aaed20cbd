using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.LoadTest;

/// <summary>
/// How a virtual station answers the CSMS: like a cooperative real station, and then it does what it said — a remote
/// start starts a session, a reset reboots, a trigger sends the message, a charging profile limits the power drawn.
/// What it does not simulate gets a NotSupported CALLERROR, never a made-up answer.
/// </summary>
public sealed partial class VirtualStation
{
    private static readonly TimeSpan RebootDelay = TimeSpan.FromMilliseconds(300);

    private int _localListVersion;

    /// <summary>The CALLRESULT (or CALLERROR) frame, and what to do once it has been sent.</summary>
    private (string Frame, Func<Task>? Then) Answer(CallFrame call)
    {
        var request = call.Payload;
        Func<Task>? then = null;
        JsonObject? answer;
        try
        {
            answer = call.Action switch
            {
                "RemoteStartTransaction" => RemoteStart(request.GetProperty("idTag").GetString()!, null,
                    request.TryGetProperty("connectorId", out var c) ? c.GetInt32() : null,
                    request.TryGetProperty("chargingProfile", out var p) ? p : null),
                "RequestStartTransaction" => RemoteStart(request.GetProperty("idToken").GetProperty("idToken").GetString()!,
                    request.GetProperty("remoteStartId").GetInt32(),
                    request.TryGetProperty("evseId", out var e) ? e.GetInt32() : null,
                    request.TryGetProperty("chargingProfile", out var p2) ? p2 : null),
                "RemoteStopTransaction" => RemoteStop(request.GetProperty("transactionId").GetInt32().ToString(CultureInfo.InvariantCulture)),
                "RequestStopTransaction" => RemoteStop(request.GetProperty("transactionId").GetString()!),
                "Reset" => Reset(request, out then),
                "TriggerMessage" => Trigger(request, out then),
                "ChangeAvailability" => ChangeAvailability(request, out then),
                "GetConfiguration" => _config.GetConfiguration(request),
                "ChangeConfiguration" => _config.ChangeConfiguration(request),
                "GetVariables" => _config.GetVariables(request),
                "SetVariables" => _config.SetVariables(request),
                "SetChargingProfile" => StatusAnswer(ProfileSet(_limits.Set(request, _version, ActiveTransaction(), DateTimeOffset.UtcNow))),
                "ClearChargingProfile" => StatusAnswer(_limits.Clear(request, _version)),
                "UnlockConnector" => Unlock(),
                "ClearCache" => StatusAnswer("Accepted"),
                "ReserveNow" or "CancelReservation" => StatusAnswer("Rejected"), // reservations are not simulated: say so
                "SendLocalList" => SendLocalList(request),
                "GetLocalListVersion" => new JsonObject { [_version == OcppVersion.V16 ? "listVersion" : "versionNumber"] = _localListVersion },
                "DataTransfer" => StatusAnswer("UnknownVendorId"),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // the CSMS sent what the schema would refuse; a real station answers with a CALLERROR too
            return (OcppFrameWriter.CallError(call.MessageId, OcppErrorCode.FormatViolation, $"{call.Action}: {ex.Message}", _version), null);
        }
        return answer is null
            ? (OcppFrameWriter.CallError(call.MessageId, OcppErrorCode.NotSupported, $"{call.Action} is not simulated by the virtual station", _version), null)
            : (OcppFrameWriter.CallResult(call.MessageId, answer.ToJsonString()), then);
    }

    private ChargingLimits.ActiveTransaction? ActiveTransaction() =>
        CurrentSession is { } s ? new ChargingLimits.ActiveTransaction(s.Key, s.CsmsId(_version)) : null;

    /// <summary>1.6 RemoteStartTransaction / 2.x RequestStartTransaction: accepted only when the EVSE is free (F01.FR.23/24).</summary>
    private JsonObject RemoteStart(string idTag, int? remoteStartId, int? evseId, JsonElement? profile)
    {
        if (evseId is { } id && id != 1)
        {
            return StatusAnswer("Rejected"); // an EVSE this station does not have
        }
        return StartSession(idTag, remoteStartId, profile) is null ? StatusAnswer("Rejected") : StatusAnswer("Accepted");
    }

    /// <summary>1.6 RemoteStopTransaction / 2.x RequestStopTransaction: Accepted when the id is the running transaction (F03.FR.07/08).</summary>
    private JsonObject RemoteStop(string transactionId)
    {
        if (CurrentSession is { } s && s.CsmsId(_version) == transactionId)
        {
            s.RequestStop("Remote", "RemoteStop"); // F03.FR.03
            return StatusAnswer("Accepted");
        }
        return StatusAnswer("Rejected");
    }

    /// <summary>Reset: the station stops its transaction, drops the connection and boots again (2.x: OnIdle waits for the session to end).</summary>
    private JsonObject Reset(JsonElement request, out Func<Task>? then)
    {
        var type = request.GetProperty("type").GetString();
        if (request.TryGetProperty("evseId", out _))
        {
            then = null;
            return StatusAnswer("Rejected"); // resetting a single EVSE is not simulated
        }
        if (_version == OcppVersion.V16)
        {
            then = async () =>
            {
                await Task.Delay(RebootDelay); // the answer leaves before the connection goes
                Reboot("RemoteReset", type == "Hard" ? "HardReset" : "SoftReset");
            };
            return StatusAnswer("Accepted");
        }
        if (type == "OnIdle" && CurrentSession is { } running)
        {
            then = async () =>
            {
                await running.Done.Task;
                Reboot("RemoteReset", "Other");
            };
            return StatusAnswer("Scheduled");
        }
        then = async () =>
        {
            await Task.Delay(RebootDelay);
            Reboot("RemoteReset", "ImmediateReset");
        };
        return StatusAnswer("Accepted");
    }

    /// <summary>TriggerMessage: answer first (F06.FR.04), then send the requested message with current data (F06.FR.09).</summary>
    private JsonObject Trigger(JsonElement request, out Func<Task>? then)
    {
        then = request.GetProperty("requestedMessage").GetString() switch
        {
            // F06.FR.17: a 2.x station already accepted refuses; a 1.6 one boots again as asked
            "BootNotification" when _version != OcppVersion.V16 && _accepted => null,
            "BootNotification" => TriggeredBoot,
            "Heartbeat" => () => TryCall("Heartbeat", []),
            "StatusNotification" => () => TryCall("StatusNotification", Status(ConnectorStatus)),
            "MeterValues" => () => TryCall("MeterValues", TriggeredMeterValues()),
            "TransactionEvent" when CurrentSession is { } s => () =>
            {
                Enqueue(UpdateMessage(s, "Trigger", "Trigger")); // F06.FR.07
                return Task.CompletedTask;
            },
            "FirmwareStatusNotification" => () => TryCall("FirmwareStatusNotification", new JsonObject { ["status"] = "Idle" }), // F06.FR.16
            "DiagnosticsStatusNotification" when _version == OcppVersion.V16 => () => TryCall("DiagnosticsStatusNotification", new JsonObject { ["status"] = "Idle" }),
            "LogStatusNotification" when _version != OcppVersion.V16 => () => TryCall("LogStatusNotification", new JsonObject { ["status"] = "Idle" }), // F06.FR.15
            _ => null,
        };
        var known = request.GetProperty("requestedMessage").GetString() is "BootNotification" or "Heartbeat" or "StatusNotification"
            or "MeterValues" or "TransactionEvent" or "FirmwareStatusNotification" or "DiagnosticsStatusNotification" or "LogStatusNotification";
        return StatusAnswer(then is not null ? "Accepted" : known ? "Rejected" : "NotImplemented"); // F06.FR.05, F06.FR.08
    }

    private async Task TriggeredBoot()
    {
        if (!_accepted)
        {
            _bootNow.TrySetResult(); // the Pending boot loop sends it now
            return;
        }
        if (OnlineLink is { } link)
        {
            var answer = await Call(link, "BootNotification", BootPayload("Triggered"));
            if (answer?.GetProperty("status").GetString() == "Accepted" && answer.Value.TryGetProperty("interval", out var interval) && _options.HeartbeatSeconds == 0)
            {
                _config.SetHeartbeat(Math.Max(1, interval.GetInt32()));
            }
        }
    }

    private JsonObject TriggeredMeterValues()
    {
        var session = CurrentSession;
        var payload = new JsonObject
        {
            [_version == OcppVersion.V16 ? "connectorId" : "evseId"] = 1,
            ["meterValue"] = new JsonArray(MeterValue("Trigger", PowerWatts)),
        };
        if (_version == OcppVersion.V16 && session?.TransactionId16 is { } id)
        {
            payload["transactionId"] = id;
        }
        return payload;
    }

    /// <summary>ChangeAvailability: Scheduled while charging (the change waits for the session's end), else done at once.</summary>
    private JsonObject ChangeAvailability(JsonElement request, out Func<Task>? then)
    {
        var inoperative = (_version == OcppVersion.V16 ? request.GetProperty("type") : request.GetProperty("operationalStatus")).GetString() == "Inoperative";
        var target = _version == OcppVersion.V16
            ? request.GetProperty("connectorId").GetInt32()
            : request.TryGetProperty("evse", out var evse) ? evse.GetProperty("id").GetInt32() : 0;
        if (target is < 0 or > 1)
        {
            then = null;
            return StatusAnswer("Rejected");
        }
        var running = CurrentSession;
        then = async () =>
        {
            if (running is not null)
            {
                await running.Done.Task;
            }
            _inoperative = inoperative;
            await TryCall("StatusNotification", Status(ConnectorStatus));
        };
        return StatusAnswer(running is not null && inoperative ? "Scheduled" : "Accepted");
    }

    /// <summary>UnlockConnector: 1.6 ends a running transaction (reason UnlockCommand); 2.x refuses while one is authorized.</summary>
    private JsonObject Unlock()
    {
        if (CurrentSession is { } s)
        {
            if (_version != OcppVersion.V16)
            {
                return StatusAnswer("OngoingAuthorizedTransaction");
            }
            s.RequestStop("UnlockCommand", null);
        }
        return StatusAnswer("Unlocked");
    }

    private JsonObject SendLocalList(JsonElement request)
    {
        _localListVersion = request.GetProperty(_version == OcppVersion.V16 ? "listVersion" : "versionNumber").GetInt32();
        return StatusAnswer("Accepted");
    }

    private static JsonObject StatusAnswer(string status) => new() { ["status"] = status };

    private string ProfileSet(string status)
    {
        if (status == "Accepted")
        {
            Interlocked.Exchange(ref _lastProfileAcceptedTicks, DateTimeOffset.UtcNow.UtcTicks);
            Interlocked.Increment(ref _profilesAccepted);
        }
        return status;
    }
}
