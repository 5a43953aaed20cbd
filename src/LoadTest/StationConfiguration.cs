using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Ocpp;

namespace Csms.LoadTest;

/// <summary>
/// A virtual station's settings: the 1.6 configuration keys and the 2.x device-model variables it knows, answered through
/// GetConfiguration/ChangeConfiguration and GetVariables/SetVariables. The intervals are live: a changed
/// HeartbeatInterval or meter interval is used from the next beat or sample on.
/// </summary>
public sealed class StationConfiguration
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Setting> _settings;
    private readonly bool _v16;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StationConfiguration(OcppVersion version, int heartbeatSeconds, int meterIntervalSeconds)
    {
        _v16 = version == OcppVersion.V16;
        var settings = _v16
            ? new Setting[]
            {
                new("HeartbeatInterval", Int(heartbeatSeconds), Kind.Interval),
                new("MeterValueSampleInterval", Int(meterIntervalSeconds), Kind.Interval),
                new("ClockAlignedDataInterval", "0", Kind.Interval),
                new("ConnectionTimeOut", "60", Kind.Interval),
                new("AuthorizeRemoteTxRequests", "false", Kind.Boolean),
                new("LocalAuthorizeOffline", "true", Kind.Boolean),
                new("StopTransactionOnEVSideDisconnect", "true", Kind.Boolean),
                new("TransactionMessageAttempts", "3", Kind.Interval),
                new("TransactionMessageRetryInterval", "10", Kind.Interval),
                new("MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import", Kind.Text),
                new("NumberOfConnectors", "1", Kind.ReadOnly),
                new("ChargeProfileMaxStackLevel", "10", Kind.ReadOnly),
                new("ChargingScheduleAllowedChargingRateUnit", "Current,Power", Kind.ReadOnly),
                new("SupportedFeatureProfiles", "Core,SmartCharging,RemoteTrigger,Reservation,LocalAuthListManagement,FirmwareManagement", Kind.ReadOnly),
            }
            : new Setting[]
            {
                new("OCPPCommCtrlr.HeartbeatInterval", Int(heartbeatSeconds), Kind.Interval),
                new("SampledDataCtrlr.TxUpdatedInterval", Int(meterIntervalSeconds), Kind.Interval),
                new("SampledDataCtrlr.TxUpdatedMeasurands", "Energy.Active.Import.Register,Power.Active.Import", Kind.Text),
                new("AlignedDataCtrlr.Interval", "0", Kind.Interval),
                new("TxCtrlr.EVConnectionTimeOut", "60", Kind.Interval),
                new("AuthCtrlr.AuthorizeRemoteStart", "false", Kind.Boolean),
                new("OCPPCommCtrlr.MessageAttempts", "3", Kind.Interval),
                new("OCPPCommCtrlr.MessageAttemptInterval", "10", Kind.Interval),
                new("SmartChargingCtrlr.Enabled", "true", Kind.ReadOnly),
                new("SmartChargingCtrlr.RateUnit", "A,W", Kind.ReadOnly),
                new("SmartChargingCtrlr.ProfileStackLevel", "10", Kind.ReadOnly),
                new("EVSE.Power", Int((int)ChargingLimits.HardwareMaxWatts), Kind.ReadOnly),
            };
        _settings = settings.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Completes at the next change of any setting.</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Seconds between heartbeats (at least 1).</summary>
    public int HeartbeatSeconds => Math.Max(1, IntValue(_v16 ? "HeartbeatInterval" : "OCPPCommCtrlr.HeartbeatInterval"));

    /// <summary>Seconds between meter values during a transaction (at least 1).</summary>
    public int MeterIntervalSeconds => Math.Max(1, IntValue(_v16 ? "MeterValueSampleInterval" : "SampledDataCtrlr.TxUpdatedInterval"));

    /// <summary>Sets the heartbeat interval the CSMS gave at boot.</summary>
    public void SetHeartbeat(int seconds) => Write(_v16 ? "HeartbeatInterval" : "OCPPCommCtrlr.HeartbeatInterval", Int(seconds));

    /// <summary>GetConfiguration (1.6): the keys asked for, or all of them; unknown keys listed as such.</summary>
    public JsonObject GetConfiguration(JsonElement request)
    {
        var known = new JsonArray();
        var unknown = new JsonArray();
        lock (_lock)
        {
            var keys = request.TryGetProperty("key", out var asked) && asked.GetArrayLength() > 0
                ? asked.EnumerateArray().Select(k => k.GetString() ?? "")
                : _settings.Keys;
            foreach (var key in keys)
            {
                if (_settings.TryGetValue(key, out var setting))
                {
                    known.Add(new JsonObject { ["key"] = key, ["readonly"] = setting.Kind == Kind.ReadOnly, ["value"] = setting.Value });
                }
                else
                {
                    unknown.Add(key);
                }
            }
        }
        var answer = new JsonObject { ["configurationKey"] = known };
        if (unknown.Count > 0)
        {
            answer["unknownKey"] = unknown;
        }
        return answer;
    }

    /// <summary>ChangeConfiguration (1.6): Accepted, Rejected (read-only or a bad value) or NotSupported (unknown key).</summary>
    public JsonObject ChangeConfiguration(JsonElement request) =>
        new() { ["status"] = Change(request.GetProperty("key").GetString() ?? "", request.GetProperty("value").GetString() ?? "") switch
        {
            Outcome.Accepted => "Accepted",
            Outcome.Unknown => "NotSupported",
            _ => "Rejected",
        } };

    /// <summary>GetVariables (2.x): one result per asked variable, in order.</summary>
    public JsonObject GetVariables(JsonElement request)
    {
        var results = new JsonArray();
        foreach (var item in request.GetProperty("getVariableData").EnumerateArray())
        {
            var (component, variable, key) = Names(item);
            var result = new JsonObject { ["component"] = component, ["variable"] = variable };
            if (item.TryGetProperty("attributeType", out var type) && type.GetString() != "Actual")
            {
                result["attributeStatus"] = "NotSupportedAttributeType";
            }
            else if (Read(key) is { } value)
            {
                result["attributeStatus"] = "Accepted";
                result["attributeValue"] = value;
            }
            else
            {
                result["attributeStatus"] = KnownComponent(key) ? "UnknownVariable" : "UnknownComponent";
            }
            results.Add(result);
        }
        return new JsonObject { ["getVariableResult"] = results };
    }

    /// <summary>SetVariables (2.x): one result per variable, in order.</summary>
    public JsonObject SetVariables(JsonElement request)
    {
        var results = new JsonArray();
        foreach (var item in request.GetProperty("setVariableData").EnumerateArray())
        {
            var (component, variable, key) = Names(item);
            string status;
            if (item.TryGetProperty("attributeType", out var type) && type.GetString() != "Actual")
            {
                status = "NotSupportedAttributeType";
            }
            else
            {
                status = Change(key, item.GetProperty("attributeValue").GetString() ?? "") switch
                {
                    Outcome.Accepted => "Accepted",
                    Outcome.Unknown => KnownComponent(key) ? "UnknownVariable" : "UnknownComponent",
                    _ => "Rejected",
                };
            }
            results.Add(new JsonObject { ["attributeStatus"] = status, ["component"] = component, ["variable"] = variable });
        }
        return new JsonObject { ["setVariableResult"] = results };
    }

    private Outcome Change(string key, string value)
    {
        lock (_lock)
        {
            if (!_settings.TryGetValue(key, out var setting))
            {
                return Outcome.Unknown;
            }
            var valid = setting.Kind switch
            {
                Kind.Interval => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                Kind.Boolean => value is "true" or "false",
                Kind.Text => value.Length <= 500,
                _ => false,
            };
            if (!valid)
            {
                return Outcome.Rejected;
            }
            _settings[key] = setting with { Value = value };
            SignalChange();
            return Outcome.Accepted;
        }
    }

    private string? Read(string key)
    {
        lock (_lock)
        {
            return _settings.TryGetValue(key, out var setting) ? setting.Value : null;
        }
    }

    private void Write(string key, string value)
    {
        lock (_lock)
        {
            _settings[key] = _settings[key] with { Value = value };
            SignalChange();
        }
    }

    private void SignalChange()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private int IntValue(string key) => int.TryParse(Read(key), CultureInfo.InvariantCulture, out var n) ? n : 0;

    private bool KnownComponent(string key)
    {
        var component = key[..Math.Max(0, key.IndexOf('.', StringComparison.Ordinal))];
        return _settings.Keys.Any(k => k.StartsWith(component + ".", StringComparison.Ordinal));
    }

    private static (JsonNode Component, JsonNode Variable, string Key) Names(JsonElement item)
    {
        var component = item.GetProperty("component");
        var variable = item.GetProperty("variable");
        // a component or variable instance names a different setting than the plain one, which is all a virtual station has
        var key = component.TryGetProperty("instance", out _) || variable.TryGetProperty("instance", out _) || component.TryGetProperty("evse", out _)
            ? "?"
            : $"{component.GetProperty("name").GetString()}.{variable.GetProperty("name").GetString()}";
        return (JsonNode.Parse(component.GetRawText())!, JsonNode.Parse(variable.GetRawText())!, key);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private enum Kind
    {
        Interval,
        Boolean,
        Text,
        ReadOnly,
    }

    private enum Outcome
    {
        Accepted,
        Rejected,
        Unknown,
    }

    private sealed record Setting(string Name, string Value, Kind Kind);
}
