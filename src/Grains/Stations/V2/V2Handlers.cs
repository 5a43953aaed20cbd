using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Transactions;
using Csms.Ocpp.Messages.V201;
using RegistrationStatus = Csms.Grains.Interfaces.Stations.RegistrationStatus;

using static Csms.Grains.Stations.HandlerJson;

namespace Csms.Grains.Stations.V2;

/// <summary>OCPP 2.0.1 messages from the charging station, and the 2.1 messages that are the same.</summary>
public static class V2Handlers
{
    private const int StoredReportLimit = 200;

    public static IReadOnlyDictionary<string, StationMessageHandler> All { get; } = new Dictionary<string, StationMessageHandler>
    {
        ["BootNotification"] = BootNotification,
        ["Heartbeat"] = Heartbeat,
        ["StatusNotification"] = StatusNotification,
        ["Authorize"] = Authorize,
        ["TransactionEvent"] = TransactionEvent,
        ["MeterValues"] = MeterValues,
        ["NotifyEvent"] = NotifyEvent,
        ["SecurityEventNotification"] = SecurityEventNotification,
        ["NotifyReport"] = NotifyReport,
        ["FirmwareStatusNotification"] = FirmwareStatusNotification,
        ["LogStatusNotification"] = LogStatusNotification,
        ["DataTransfer"] = DataTransfer,
    };

    private static V2ReadContext In => V2ReadContext.Default;

    private static V201JsonContext Out => V201JsonContext.Default;

    private static async Task<CallReply> BootNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2BootNotification);
        var cs = request.ChargingStation;
        var (decision, interval) = await station.RecordBootAsync(
            new BootInfo(cs.VendorName, cs.Model, cs.SerialNumber, cs.FirmwareVersion, request.Reason, station.Now));
        return Result(new BootNotificationResponse
        {
            CurrentTime = station.Now,
            Interval = interval,
            Status = decision switch
            {
                RegistrationStatus.Accepted => RegistrationStatusEnumType.Accepted,
                RegistrationStatus.Pending => RegistrationStatusEnumType.Pending,
                _ => RegistrationStatusEnumType.Rejected,
            },
        }, Out.BootNotificationResponse);
    }

    private static Task<CallReply> Heartbeat(IStationContext station, InboundCall call)
    {
        station.State.LastHeartbeat = station.Now;
        return Reply(new HeartbeatResponse { CurrentTime = station.Now }, Out.HeartbeatResponse);
    }

    private static async Task<CallReply> StatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2StatusNotification);
        await station.Evse(request.EvseId).UpdateConnector(
            new ConnectorStatusUpdate(request.ConnectorId, request.ConnectorStatus, null, request.Timestamp));
        return Result(new StatusNotificationResponse(), Out.StatusNotificationResponse);
    }

    private static async Task<CallReply> Authorize(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2Authorize);
        return Result(new AuthorizeResponse { IdTokenInfo = await IdTokenInfo(station, request.IdToken) }, Out.AuthorizeResponse);
    }

    private static async Task<CallReply> TransactionEvent(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2TransactionEvent);
        var s = station.State;
        var transactionId = request.TransactionInfo.TransactionId;

        // E01: the evse is sent at least once per transaction (normally with the first event); later events may omit it
        var evseId = request.Evse?.Id ?? (s.OpenTransactions.TryGetValue(transactionId, out var known) ? known : 0);
        var kind = request.EventType switch
        {
            "Started" => TransactionEventKind.Started,
            "Ended" => TransactionEventKind.Ended,
            _ => TransactionEventKind.Updated,
        };
        var idToken = request.IdToken is { IdToken.Length: > 0 } token ? token.IdToken : null;
        var samples = Samples(request.MeterValue);
        var data = new TransactionEventData(transactionId, kind, request.Timestamp, request.SeqNo, request.Offline ?? false,
            request.TriggerReason, request.TransactionInfo.ChargingState, idToken, request.Evse?.ConnectorId, null, samples,
            request.TransactionInfo.StoppedReason, call.MessageId);
        var outcome = await station.ApplyTransactionEventAsync(evseId, data);

        if (outcome.Transaction.Active)
        {
            station.RecordOpenTransaction(transactionId, evseId);
        }
        else
        {
            station.ForgetTransaction(transactionId);
        }
        if (outcome.Transaction.MissingSeqNoCount > 0 && outcome.Result == TransactionEventResult.Applied)
        {
            station.Logger.LogSeqNoGap(station.StationId, transactionId, outcome.Transaction.MissingSeqNoCount);
        }
        station.MarkDirty();

        // E01.FR.xx: idTokenInfo is returned when the request carried an idToken
        var response = new TransactionEventResponse
        {
            IdTokenInfo = request.IdToken is { IdToken.Length: > 0 } ? await IdTokenInfo(station, request.IdToken) : null,
        };
        return Result(response, Out.TransactionEventResponse);
    }

    private static async Task<CallReply> MeterValues(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2MeterValues);
        await station.Evse(request.EvseId).RecordMeterValues(Samples(request.MeterValue));
        return Result(new MeterValuesResponse(), Out.MeterValuesResponse);
    }

    private static Task<CallReply> NotifyEvent(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2NotifyEvent);
        foreach (var e in request.EventData)
        {
            station.AddEvent("Event", $"{e.Component.Name}.{e.Variable.Name} = {e.ActualValue} ({e.Trigger}, event {e.EventId})");
        }
        return Reply(new NotifyEventResponse(), Out.NotifyEventResponse);
    }

    private static Task<CallReply> SecurityEventNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2SecurityEventNotification);
        station.RecordSecurityEvent(request.Type, request.Timestamp, request.TechInfo);
        return Reply(new SecurityEventNotificationResponse(), Out.SecurityEventNotificationResponse);
    }

    private static Task<CallReply> NotifyReport(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2NotifyReport);
        var reports = station.State.Reports;
        // a new report replaces the previous one; its parts (seqNo, tbc) are kept together
        reports.RemoveAll(r => r.RequestId != request.RequestId);
        reports.Add(new StoredReport(request.RequestId, request.SeqNo, request.GeneratedAt, call.PayloadJson));
        ConfigurationSnapshot.ApplyReport(station.State.Configuration, call.PayloadJson, station.Now);
        if (reports.Count > StoredReportLimit)
        {
            reports.RemoveAt(0);
        }
        station.MarkDirty();
        if (request.Tbc != true)
        {
            station.AddEvent("Report", $"report {request.RequestId} complete in {reports.Count} part(s)");
        }
        return Reply(new NotifyReportResponse(), Out.NotifyReportResponse);
    }

    private static Task<CallReply> FirmwareStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2StatusWithRequest);
        station.RecordFirmwareStatus(request.Status, request.RequestId);
        return Reply(new FirmwareStatusNotificationResponse(), Out.FirmwareStatusNotificationResponse);
    }

    private static Task<CallReply> LogStatusNotification(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2StatusWithRequest);
        station.RecordLogStatus(request.Status, request.RequestId);
        return Reply(new LogStatusNotificationResponse(), Out.LogStatusNotificationResponse);
    }

    private static Task<CallReply> DataTransfer(IStationContext station, InboundCall call)
    {
        var request = Read(call, In.V2DataTransfer);
        var known = station.RecordDataTransfer(request.VendorId, request.MessageId);
        return Reply(new DataTransferResponse { Status = known ? DataTransferStatusEnumType.Accepted : DataTransferStatusEnumType.UnknownVendorId },
            Out.DataTransferResponse);
    }

    private static async Task<IdTokenInfoType> IdTokenInfo(IStationContext station, V2IdToken idToken)
    {
        // NoAuthorization tokens carry an empty idToken: nothing to look up (C01.FR.xx)
        if (idToken.Type == "NoAuthorization" || idToken.IdToken.Length == 0)
        {
            return new IdTokenInfoType { Status = AuthorizationStatusEnumType.Accepted };
        }
        var decision = await station.AuthorizeAsync(idToken.IdToken);
        return new IdTokenInfoType
        {
            Status = decision.Status switch
            {
                IdTokenStatus.Accepted => AuthorizationStatusEnumType.Accepted,
                IdTokenStatus.Blocked => AuthorizationStatusEnumType.Blocked,
                IdTokenStatus.Expired => AuthorizationStatusEnumType.Expired,
                IdTokenStatus.Invalid => AuthorizationStatusEnumType.Invalid,
                _ => AuthorizationStatusEnumType.Unknown,
            },
            CacheExpiryDateTime = decision.ExpiresAt,
            GroupIdToken = decision.GroupId is { } group ? new IdTokenType { IdToken = group, Type = IdTokenEnumType.Central } : null,
        };
    }

    private static List<MeterSample> Samples(IReadOnlyList<V2MeterValue>? meterValues)
    {
        var samples = new List<MeterSample>();
        foreach (var meterValue in meterValues ?? [])
        {
            foreach (var sampled in meterValue.SampledValue)
            {
                // without unitOfMeasure only an energy measurand defaults to Wh (MeterSamples applies that); a power reading is not Wh
                samples.Add(Transactions.MeterSamples.Create(meterValue.Timestamp, sampled.Measurand, sampled.Value,
                    sampled.UnitOfMeasure is { } unit ? unit.Unit ?? "Wh" : null, sampled.UnitOfMeasure?.Multiplier ?? 0, sampled.Phase, sampled.Context, sampled.Location));
            }
        }
        return samples;
    }
}
