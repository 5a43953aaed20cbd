using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Transactions;
using Csms.Ocpp.Messages.V16;
using RegistrationStatus = Csms.Grains.Interfaces.Stations.RegistrationStatus;

using static Csms.Grains.Stations.HandlerJson;

namespace Csms.Grains.Stations.V16;

/// <summary>OCPP 1.6J (with the security extension) messages from the charge point.</summary>
public static class V16Handlers
{
    public static IReadOnlyDictionary<string, StationMessageHandler> All { get; } = new Dictionary<string, StationMessageHandler>
    {
        ["BootNotification"] = BootNotification,
        ["Heartbeat"] = Heartbeat,
        ["StatusNotification"] = StatusNotification,
        ["Authorize"] = Authorize,
        ["StartTransaction"] = StartTransaction,
        ["MeterValues"] = MeterValues,
        ["StopTransaction"] = StopTransaction,
        ["DataTransfer"] = DataTransfer,
        ["FirmwareStatusNotification"] = FirmwareStatusNotification,
        ["DiagnosticsStatusNotification"] = DiagnosticsStatusNotification,
        ["SecurityEventNotification"] = SecurityEventNotification,
        ["SignedFirmwareStatusNotification"] = SignedFirmwareStatusNotification,
        ["LogStatusNotification"] = LogStatusNotification,
    };

    private static V16JsonContext Json => V16JsonContext.Default;

    private static async Task<CallReply> BootNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.BootNotificationRequest);
        var (decision, interval) = await station.RecordBootAsync(new BootInfo(request.ChargePointVendor, request.ChargePointModel,
            request.ChargePointSerialNumber ?? request.ChargeBoxSerialNumber, request.FirmwareVersion, null, station.Now));
        return Result(new BootNotificationResponse
        {
            Status = decision switch
            {
                RegistrationStatus.Accepted => Ocpp.Messages.V16.RegistrationStatus.Accepted,
                RegistrationStatus.Pending => Ocpp.Messages.V16.RegistrationStatus.Pending,
                _ => Ocpp.Messages.V16.RegistrationStatus.Rejected,
            },
            CurrentTime = station.Now,
            Interval = interval,
        }, Json.BootNotificationResponse);
    }

    private static Task<CallReply> Heartbeat(IStationContext station, InboundCall call)
    {
        // not persisted on its own: a heartbeat is not a state transition
        station.State.LastHeartbeat = station.Now;
        return Reply(new HeartbeatResponse { CurrentTime = station.Now }, Json.HeartbeatResponse);
    }

    private static async Task<CallReply> StatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.StatusNotificationRequest);
        var timestamp = request.Timestamp ?? station.Now;
        var status = Wire(request.Status);
        var error = request.ErrorCode == ChargePointErrorCode.NoError ? null : Wire(request.ErrorCode);
        if (request.ConnectorId == 0)
        {
            station.State.StationStatus = new ConnectorSnapshot(0, status, error, timestamp);
            station.MarkDirty();
        }
        else
        {
            // a 1.6 connector is an EVSE with one connector; we keep the 1.6 number for both
            await station.Evse(request.ConnectorId).UpdateConnector(new ConnectorStatusUpdate(request.ConnectorId, status, error, timestamp));
        }
        if (error is not null)
        {
            station.AddEvent("ConnectorError", $"connector {request.ConnectorId}: {error} {request.VendorErrorCode} {request.Info}".TrimEnd());
        }
        return Result(new StatusNotificationResponse(), Json.StatusNotificationResponse);
    }

    private static async Task<CallReply> Authorize(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.AuthorizeRequest);
        return Result(new AuthorizeResponse { IdTagInfo = await IdTagInfo(station, request.IdTag) }, Json.AuthorizeResponse);
    }

    private static async Task<CallReply> StartTransaction(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.StartTransactionRequest);
        var idTagInfo = await IdTagInfo(station, request.IdTag);
        var s = station.State;

        // a retry with a new message id (the station lost our answer and re-sent) must get the same transaction id
        var startKey = string.Create(CultureInfo.InvariantCulture,
            $"{request.ConnectorId}|{request.IdTag}|{request.Timestamp.ToUnixTimeMilliseconds()}|{request.MeterStart}");
        if (!s.StartKeys.TryGetValue(startKey, out var transactionId))
        {
            transactionId = (await station.NextTransactionIdAsync()).ToString(CultureInfo.InvariantCulture);
        }
        var evseId = request.ConnectorId;
        var data = new TransactionEventData(transactionId, TransactionEventKind.Started, request.Timestamp, null, false, "Authorized",
            "Charging", request.IdTag, request.ConnectorId, request.MeterStart, [], null, call.MessageId);
        await station.ApplyTransactionEventAsync(evseId, data);
        station.RecordOpenTransaction(transactionId, evseId);
        s.StartKeys[startKey] = transactionId;
        station.MarkDirty();
        return Result(new StartTransactionResponse
        {
            TransactionId = int.Parse(transactionId, CultureInfo.InvariantCulture),
            IdTagInfo = idTagInfo,
        }, Json.StartTransactionResponse);
    }

    private static async Task<CallReply> MeterValues(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.MeterValuesRequest);
        var samples = Samples(request.MeterValue);
        var transactionId = request.TransactionId?.ToString(CultureInfo.InvariantCulture);
        if (transactionId is not null && station.State.OpenTransactions.TryGetValue(transactionId, out var evseId))
        {
            await station.ApplyTransactionEventAsync(evseId, new TransactionEventData(transactionId, TransactionEventKind.Updated,
                LatestTimestamp(request.MeterValue, station.Now), null, false, "MeterValuePeriodic", null, null, request.ConnectorId,
                null, samples, null, call.MessageId));
        }
        else
        {
            if (transactionId is not null)
            {
                station.AddEvent("UnknownTransaction", $"MeterValues for transaction {transactionId}, which is not open; kept on connector {request.ConnectorId}");
            }
            await station.Evse(request.ConnectorId).RecordMeterValues(samples);
        }
        return Result(new MeterValuesResponse(), Json.MeterValuesResponse);
    }

    private static async Task<CallReply> StopTransaction(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.StopTransactionRequest);
        var transactionId = request.TransactionId.ToString(CultureInfo.InvariantCulture);
        var s = station.State;
        if (!s.OpenTransactions.TryGetValue(transactionId, out var evseId))
        {
            // not open here (already stopped and answered, or started before a standalone restart): still recorded, on EVSE 0
            // unless a recent EVSE knows it; the ledger row is flagged StartNotReceived by the state machine
            evseId = await RecentEvse(station, transactionId) ?? 0;
            station.AddEvent("UnknownTransaction", $"StopTransaction for transaction {transactionId}, which is not open");
        }
        // 1.6 section 4.10: an absent reason SHOULD be assumed Local
        var stoppedReason = request.Reason is { } reason ? Wire(reason) : "Local";
        var data = new TransactionEventData(transactionId, TransactionEventKind.Ended, request.Timestamp, null, false,
            stoppedReason, "Idle", request.IdTag, null, request.MeterStop, Samples(request.TransactionData), stoppedReason, call.MessageId);
        await station.ApplyTransactionEventAsync(evseId, data);
        station.ForgetTransaction(transactionId);
        var response = new StopTransactionResponse { IdTagInfo = request.IdTag is null ? null : await IdTagInfo(station, request.IdTag) };
        return Result(response, Json.StopTransactionResponse);
    }

    /// <summary>The EVSE whose recent transactions include <paramref name="transactionId"/> (a stop re-sent under a new message id).</summary>
    private static async Task<int?> RecentEvse(IStationContext station, string transactionId)
    {
        foreach (var evseId in station.State.Evses.ToArray())
        {
            var evse = await station.Evse(evseId).GetSnapshot();
            if (evse.RecentTransactions.Any(t => t.TransactionId == transactionId))
            {
                return evseId;
            }
        }
        return null;
    }

    private static Task<CallReply> DataTransfer(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.DataTransferRequest);
        var known = station.RecordDataTransfer(request.VendorId, request.MessageId);
        return Reply(new DataTransferResponse { Status = known ? DataTransferStatus.Accepted : DataTransferStatus.UnknownVendorId },
            Json.DataTransferResponse);
    }

    private static Task<CallReply> FirmwareStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.FirmwareStatusNotificationRequest);
        station.RecordFirmwareStatus(Wire(request.Status), null);
        return Reply(new FirmwareStatusNotificationResponse(), Json.FirmwareStatusNotificationResponse);
    }

    private static Task<CallReply> DiagnosticsStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.DiagnosticsStatusNotificationRequest);
        station.AddEvent("DiagnosticsStatus", Wire(request.Status));
        return Reply(new DiagnosticsStatusNotificationResponse(), Json.DiagnosticsStatusNotificationResponse);
    }

    private static Task<CallReply> SecurityEventNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.SecurityEventNotificationRequest);
        station.RecordSecurityEvent(request.Type, request.Timestamp, request.TechInfo);
        return Reply(new SecurityEventNotificationResponse(), Json.SecurityEventNotificationResponse);
    }

    private static Task<CallReply> SignedFirmwareStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.SignedFirmwareStatusNotificationRequest);
        station.RecordFirmwareStatus(Wire(request.Status), request.RequestId);
        return Reply(new SignedFirmwareStatusNotificationResponse(), Json.SignedFirmwareStatusNotificationResponse);
    }

    private static Task<CallReply> LogStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, Json.LogStatusNotificationRequest);
        station.RecordLogStatus(Wire(request.Status), request.RequestId);
        return Reply(new LogStatusNotificationResponse(), Json.LogStatusNotificationResponse);
    }

    private static async Task<IdTagInfo> IdTagInfo(IStationContext station, string idTag)
    {
        var decision = await station.AuthorizeAsync(idTag);
        return new IdTagInfo
        {
            Status = decision.Status switch
            {
                IdTokenStatus.Accepted => AuthorizationStatus.Accepted,
                IdTokenStatus.Blocked => AuthorizationStatus.Blocked,
                IdTokenStatus.Expired => AuthorizationStatus.Expired,
                _ => AuthorizationStatus.Invalid,
            },
            ExpiryDate = decision.ExpiresAt,
            ParentIdTag = decision.GroupId,
        };
    }

    private static List<MeterSample> Samples(IReadOnlyList<MeterValue>? meterValues)
    {
        var samples = new List<MeterSample>();
        foreach (var meterValue in meterValues ?? [])
        {
            foreach (var sampled in meterValue.SampledValue)
            {
                var sample = Transactions.MeterSamples.Create(meterValue.Timestamp, sampled.Measurand is { } m ? Wire(m) : null,
                    sampled.Value, sampled.Unit is { } u ? Wire(u) : null, 0, sampled.Phase is { } p ? Wire(p) : null,
                    sampled.Context is { } c ? Wire(c) : null, sampled.Location is { } l ? Wire(l) : null);
                if (sample is not null)
                {
                    samples.Add(sample);
                }
            }
        }
        return samples;
    }

    private static DateTimeOffset LatestTimestamp(IReadOnlyList<MeterValue> meterValues, DateTimeOffset fallback) =>
        meterValues.Count == 0 ? fallback : meterValues.Max(m => m.Timestamp);

    /// <summary>The enum's wire spelling (e.g. "Energy.Active.Import.Register"), as the schema writes it.</summary>
    private static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<TEnum>)Json.GetTypeInfo(typeof(TEnum))!).Trim('"');
}
