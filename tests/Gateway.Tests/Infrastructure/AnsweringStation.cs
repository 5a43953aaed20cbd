using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Csms.Gateway.Tests.Infrastructure;

/// <summary>
/// A station that boots, then answers every CSMS-initiated CALL the way a real station of its OCPP version would: with a
/// CALLRESULT that passes that version's response schema (and a NotImplemented CALLERROR for actions it does not know).
/// It keeps a small configuration that GetConfiguration / GetVariables read and ChangeConfiguration / SetVariables write,
/// and records every CALL it received so tests can check what went over the wire.
/// </summary>
public sealed class AnsweringStation : IAsyncDisposable
{
    private readonly TestStation _station;
    private readonly ConcurrentQueue<IncomingCall> _received = new();
    private readonly ConcurrentDictionary<string, string> _configuration = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _answering;
    private volatile bool _refusing;
    private volatile Exception? _failure;
    private int _localListVersion;

    private AnsweringStation(TestStation station, string id, string subProtocol)
    {
        _station = station;
        Id = id;
        SubProtocol = subProtocol;
        if (Is16)
        {
            _configuration["HeartbeatInterval"] = "300";
            _configuration["MeterValueSampleInterval"] = "60";
            _configuration["LocalAuthListEnabled"] = "true";
        }
        else
        {
            _configuration["OCPPCommCtrlr.HeartbeatInterval"] = "300";
            _configuration["SampledDataCtrlr.TxUpdatedInterval"] = "60";
            _configuration["LocalAuthListCtrlr.Enabled"] = "true";
        }
        _answering = Task.Run(AnswerLoopAsync);
    }

    /// <summary>The station identity as connected (the API canonicalizes it to lower case).</summary>
    public string Id { get; }

    /// <summary>"ocpp1.6", "ocpp2.0.1" or "ocpp2.1".</summary>
    public string SubProtocol { get; }

    public bool Is16 => SubProtocol == "ocpp1.6";

    /// <summary>When set, the station refuses what it is asked: Rejected, or the action's own refusal (UnlockFailed, Failed, Unknown).</summary>
    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    /// <summary>Every CSMS-initiated CALL received since boot, in order of arrival.</summary>
    public IReadOnlyList<IncomingCall> Received => [.. _received];

    /// <summary>The station's current value of a configuration key (1.6) or Component.Variable (2.x).</summary>
    public string? Configuration(string name) => _configuration.TryGetValue(name, out var value) ? value : null;

    /// <summary>Connects, sends BootNotification and starts answering; fails the test if the boot is not accepted.</summary>
    public static async Task<AnsweringStation> StartAsync(GatewayAppFixture gateway, string id, string subProtocol)
    {
        var station = await gateway.ConnectAsync(id, subProtocol);
        try
        {
            if (station.SubProtocol != subProtocol)
            {
                throw new XunitException($"the gateway chose subprotocol '{station.SubProtocol}' instead of '{subProtocol}'");
            }
            object boot = subProtocol == "ocpp1.6"
                ? new { chargePointVendor = "TestVendor", chargePointModel = "Answering-16" }
                : new { reason = "PowerUp", chargingStation = new { model = "Answering-2", vendorName = "TestVendor" } };
            var answer = await station.CallAsync("BootNotification", boot);
            if (!answer.IsResult || answer.Result.GetProperty("status").GetString() != "Accepted")
            {
                throw new XunitException($"station {id} ({subProtocol}) was not accepted at boot: {answer.Raw}");
            }
        }
        catch
        {
            await station.DisposeAsync();
            throw;
        }
        return new AnsweringStation(station, id, subProtocol);
    }

    /// <summary>The CALLs with this action received so far.</summary>
    public IncomingCall[] Calls(string action) => [.. _received.Where(c => c.Action == action)];

    /// <summary>The one CALL with this action; fails the test, listing what was received, if there is none or several.</summary>
    public IncomingCall Single(string action)
    {
        var calls = Calls(action);
        return calls.Length == 1
            ? calls[0]
            : throw new XunitException($"station {Id} ({SubProtocol}) received {calls.Length} {action} calls; all received: {Describe()}");
    }

    public async ValueTask DisposeAsync()
    {
        await _station.DisposeAsync();
        await Task.WhenAny(_answering, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    private string Describe()
    {
        var calls = string.Join(" | ", _received.Select(c => $"{c.Action} {c.Payload.GetRawText()}"));
        return (calls.Length == 0 ? "nothing" : calls) + (_failure is { } failure ? $"; the answering loop failed: {failure}" : "");
    }

    private async Task AnswerLoopAsync()
    {
        try
        {
            while (true)
            {
                IncomingCall call;
                try
                {
                    call = await _station.ReceiveCallAsync();
                }
                catch (TimeoutException)
                {
                    // nothing asked for a while: keep listening
                    continue;
                }
                _received.Enqueue(call);
                if (Answer(call) is { } payload)
                {
                    await _station.AnswerAsync(call, payload);
                }
                else
                {
                    var error = new JsonArray(4, call.MessageId, "NotImplemented", $"{call.Action} is not implemented by this test station", new JsonObject());
                    await _station.SendTextAsync(error.ToJsonString());
                }
            }
        }
        catch (InvalidOperationException)
        {
            // the socket closed: the test is over
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // closed while answering
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    private JsonObject? Answer(IncomingCall call) => Is16 ? Answer16(call) : Answer2x(call);

    private JsonObject? Answer16(IncomingCall call) => call.Action switch
    {
        "RemoteStartTransaction" or "RemoteStopTransaction" or "Reset" or "ChangeAvailability" or "TriggerMessage"
            or "ExtendedTriggerMessage" or "ClearCache" or "ReserveNow" or "CancelReservation" or "SetChargingProfile"
            or "SignedUpdateFirmware" => Status(),
        "UnlockConnector" => Status("Unlocked", "UnlockFailed"),
        "ClearChargingProfile" => Status("Accepted", "Unknown"),
        "SendLocalList" => SendLocalList(call.Payload.GetProperty("listVersion").GetInt32()),
        "GetLocalListVersion" => new JsonObject { ["listVersion"] = _localListVersion },
        "DataTransfer" => DataTransfer(call.Payload),
        "GetConfiguration" => GetConfiguration(call.Payload),
        "ChangeConfiguration" => ChangeConfiguration(call.Payload),
        "GetCompositeSchedule" => CompositeSchedule16(call.Payload),
        // 1.6 UpdateFirmware.conf is empty; GetDiagnostics.conf names the file, absent when there is nothing to upload
        "UpdateFirmware" => [],
        "GetDiagnostics" => Refusing ? [] : new JsonObject { ["fileName"] = "diagnostics.log" },
        "GetLog" => Log(),
        _ => null,
    };

    private JsonObject? Answer2x(IncomingCall call) => call.Action switch
    {
        "RequestStartTransaction" or "RequestStopTransaction" or "Reset" or "ChangeAvailability" or "TriggerMessage"
            or "ClearCache" or "ReserveNow" or "CancelReservation" or "SetChargingProfile" or "UpdateFirmware" => Status(),
        "UnlockConnector" => Status("Unlocked", "UnlockFailed"),
        "ClearChargingProfile" => Status("Accepted", "Unknown"),
        "SendLocalList" => SendLocalList(call.Payload.GetProperty("versionNumber").GetInt32()),
        "GetLocalListVersion" => new JsonObject { ["versionNumber"] = _localListVersion },
        "DataTransfer" => DataTransfer(call.Payload),
        "GetVariables" => GetVariables(call.Payload),
        "SetVariables" => SetVariables(call.Payload),
        "GetCompositeSchedule" => CompositeSchedule2x(call.Payload),
        "GetLog" => Log(),
        _ => null,
    };

    private JsonObject Status(string accepted = "Accepted", string refused = "Rejected") =>
        new() { ["status"] = Refusing ? refused : accepted };

    private JsonObject SendLocalList(int version)
    {
        if (Refusing)
        {
            return Status("Accepted", "Failed");
        }
        _localListVersion = version;
        return Status();
    }

    private JsonObject DataTransfer(JsonElement request)
    {
        var answer = Status();
        // echoes the data, as a vendor's ping would
        if (!Refusing && request.TryGetProperty("data", out var data))
        {
            answer["data"] = JsonNode.Parse(data.GetRawText());
        }
        return answer;
    }

    private JsonObject Log()
    {
        var answer = Status();
        if (!Refusing)
        {
            answer["filename"] = "station.log";
        }
        return answer;
    }

    private JsonObject GetConfiguration(JsonElement request)
    {
        var keys = request.TryGetProperty("key", out var requested)
            ? requested.EnumerateArray().Select(k => k.GetString()!).ToArray()
            : [.. _configuration.Keys.Order(StringComparer.Ordinal)];
        var known = new JsonArray();
        var unknown = new JsonArray();
        foreach (var key in keys)
        {
            if (_configuration.TryGetValue(key, out var value))
            {
                known.Add(new JsonObject { ["key"] = key, ["readonly"] = false, ["value"] = value });
            }
            else
            {
                unknown.Add(key);
            }
        }
        var answer = new JsonObject();
        if (known.Count > 0)
        {
            answer["configurationKey"] = known;
        }
        if (unknown.Count > 0)
        {
            answer["unknownKey"] = unknown;
        }
        return answer;
    }

    private JsonObject ChangeConfiguration(JsonElement request)
    {
        var key = request.GetProperty("key").GetString()!;
        if (Refusing)
        {
            return Status();
        }
        if (!_configuration.ContainsKey(key))
        {
            return new JsonObject { ["status"] = "NotSupported" };
        }
        _configuration[key] = request.GetProperty("value").GetString()!;
        return Status();
    }

    private JsonObject GetVariables(JsonElement request)
    {
        var results = new JsonArray();
        foreach (var data in request.GetProperty("getVariableData").EnumerateArray())
        {
            var result = new JsonObject();
            if (Refusing)
            {
                result["attributeStatus"] = "Rejected";
            }
            else if (_configuration.TryGetValue(VariableName(data), out var value))
            {
                result["attributeStatus"] = "Accepted";
                result["attributeValue"] = value;
            }
            else
            {
                result["attributeStatus"] = "UnknownVariable";
            }
            result["component"] = JsonNode.Parse(data.GetProperty("component").GetRawText());
            result["variable"] = JsonNode.Parse(data.GetProperty("variable").GetRawText());
            results.Add(result);
        }
        return new JsonObject { ["getVariableResult"] = results };
    }

    private JsonObject SetVariables(JsonElement request)
    {
        var results = new JsonArray();
        foreach (var data in request.GetProperty("setVariableData").EnumerateArray())
        {
            var name = VariableName(data);
            string status;
            if (Refusing)
            {
                status = "Rejected";
            }
            else if (_configuration.ContainsKey(name))
            {
                _configuration[name] = data.GetProperty("attributeValue").GetString()!;
                status = "Accepted";
            }
            else
            {
                status = "UnknownVariable";
            }
            results.Add(new JsonObject
            {
                ["attributeStatus"] = status,
                ["component"] = JsonNode.Parse(data.GetProperty("component").GetRawText()),
                ["variable"] = JsonNode.Parse(data.GetProperty("variable").GetRawText()),
            });
        }
        return new JsonObject { ["setVariableResult"] = results };
    }

    /// <summary>"Component.Variable[instance]", the key the 2.x configuration is kept under.</summary>
    private static string VariableName(JsonElement data)
    {
        var component = data.GetProperty("component").GetProperty("name").GetString();
        var variable = data.GetProperty("variable");
        var name = $"{component}.{variable.GetProperty("name").GetString()}";
        return variable.TryGetProperty("instance", out var instance) ? $"{name}[{instance.GetString()}]" : name;
    }

    private JsonObject CompositeSchedule16(JsonElement request)
    {
        if (Refusing)
        {
            return Status();
        }
        var duration = request.GetProperty("duration").GetInt32();
        return new JsonObject
        {
            ["status"] = "Accepted",
            ["connectorId"] = request.GetProperty("connectorId").GetInt32(),
            ["scheduleStart"] = Now(),
            ["chargingSchedule"] = new JsonObject
            {
                ["duration"] = duration,
                ["chargingRateUnit"] = RateUnit(request),
                ["chargingSchedulePeriod"] = Periods(),
            },
        };
    }

    private JsonObject CompositeSchedule2x(JsonElement request)
    {
        if (Refusing)
        {
            return Status();
        }
        return new JsonObject
        {
            ["status"] = "Accepted",
            ["schedule"] = new JsonObject
            {
                ["evseId"] = request.GetProperty("evseId").GetInt32(),
                ["duration"] = request.GetProperty("duration").GetInt32(),
                ["scheduleStart"] = Now(),
                ["chargingRateUnit"] = RateUnit(request),
                ["chargingSchedulePeriod"] = Periods(),
            },
        };
    }

    private static string RateUnit(JsonElement request) =>
        request.TryGetProperty("chargingRateUnit", out var unit) ? unit.GetString()! : "A";

    private static JsonArray Periods() => [new JsonObject { ["startPeriod"] = 0, ["limit"] = 16.0m, ["numberPhases"] = 3 }];

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
