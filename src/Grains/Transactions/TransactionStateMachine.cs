using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Transactions;

/// <summary>
/// The transaction state machine shared by OCPP 1.6 (Start/MeterValues/StopTransaction) and 2.x (TransactionEvent).
/// It accepts events in any order (offline replays arrive late and out of order, E04/E05/E06), tracks seqNo gaps
/// (E01.FR.xx seqNo is incremented per message, so a gap means a lost message) and recognises retries.
/// </summary>
public static class TransactionStateMachine
{
    /// <summary>More missing seqNos than this flags the transaction SeqNoJump (a station bug or a hostile value).</summary>
    public const int MaxTrackedGap = 1000;

    /// <summary>An event stamped more than this after it reached the CSMS is flagged FutureTimestamp: the station's clock is wrong, or the value made up.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(15);

    /// <summary>
    /// An event stamped more than this before it reached the CSMS is flagged StaleTimestamp: older than an offline queue
    /// should hold, or a clock reset (to 1970, or to the firmware's build date).
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(30);

    /// <summary>
    /// More energy than this average power over the transaction's duration (at least a minute) is flagged
    /// ImplausibleEnergy: the largest standardised charging (MCS) tops out at 3.75 MW.
    /// </summary>
    public const decimal MaxPlausibleWatts = 4_000_000m;

    private const int RecentMessageIdLimit = 16;

    public static TransactionRecord Create(string transactionId, int evseId) => new() { TransactionId = transactionId, EvseId = evseId };

    /// <summary>Applies one event; returns <see cref="TransactionEventResult.Duplicate"/> and changes nothing for a retry.</summary>
    public static TransactionEventResult Apply(TransactionRecord tx, TransactionEventData e)
    {
        if (IsDuplicate(tx, e))
        {
            return TransactionEventResult.Duplicate;
        }

        tx.EventsReceived++;
        if (e.ReceivedAt is { } received)
        {
            // answered and kept, but marked for a look before anyone bills it; once set, these stay
            if (e.Timestamp > received + FutureTolerance)
            {
                SetFlag(tx, true, "FutureTimestamp");
            }
            if (e.Timestamp < received - StaleAfter)
            {
                SetFlag(tx, true, "StaleTimestamp");
            }
        }
        if (e.Offline)
        {
            tx.OfflineEvents++;
        }
        if (tx.LastEventAt is null || e.Timestamp > tx.LastEventAt)
        {
            tx.LastEventAt = e.Timestamp;
        }
        tx.ConnectorId ??= e.ConnectorId;
        if (e.IdToken is not null && (tx.IdToken is null || e.Kind == TransactionEventKind.Started))
        {
            tx.IdToken = e.IdToken;
        }

        // a late event must not overwrite the state an earlier-timestamped but already newer event set
        var isLatest = tx.LastEventAt == e.Timestamp;
        if (e.ChargingState is not null && isLatest)
        {
            tx.ChargingState = e.ChargingState;
        }

        ApplySamples(tx, e.Kind, e.Samples);

        switch (e.Kind)
        {
            case TransactionEventKind.Started:
                tx.StartedAt = tx.StartedAt is { } s && s < e.Timestamp ? s : e.Timestamp;
                if (e.MeterWh is { } start)
                {
                    tx.MeterStartWh = start;
                }
                break;
            case TransactionEventKind.Ended:
                tx.Ended = true;
                tx.EndedAt = e.Timestamp;
                tx.StoppedReason = e.StoppedReason ?? tx.StoppedReason;
                if (e.MeterWh is { } stop)
                {
                    tx.MeterStopWh = stop;
                }
                if (e.ChargingState is null)
                {
                    tx.ChargingState = "Idle";
                }
                break;
        }

        if (tx.Ended)
        {
            // derived from the state, so re-evaluated: a late (offline) Started clears StartNotReceived
            SetFlag(tx, tx.StartedAt is null, "StartNotReceived");
            SetFlag(tx, tx.EnergyWh < 0, "NegativeEnergy");
            SetFlag(tx, tx.EndedAt < tx.StartedAt, "EndBeforeStart");
            SetFlag(tx, Implausible(tx), "ImplausibleEnergy");
        }
        return TransactionEventResult.Applied;
    }

    private static bool Implausible(TransactionRecord tx)
    {
        if (tx.EnergyWh is not { } energy || energy <= 0)
        {
            return false;
        }
        var hours = tx.StartedAt is { } start && tx.EndedAt is { } end ? Math.Max((end - start).TotalHours, 1.0 / 60) : 1.0 / 60;
        return energy > MaxPlausibleWatts * (decimal)hours;
    }

    private static bool IsDuplicate(TransactionRecord tx, TransactionEventData e)
    {
        if (e.SeqNo is { } seqNo)
        {
            if (seqNo > tx.MaxSeqNo)
            {
                if (seqNo - (long)tx.MaxSeqNo - 1 > 0)
                {
                    tx.Missing.Add(new SeqNoRange(tx.MaxSeqNo + 1, seqNo - 1));
                    // a station bug or a hostile value, worth a look; every seqNo inside can still arrive
                    SetFlag(tx, tx.Missing.Sum(r => r.Count) > MaxTrackedGap, "SeqNoJump");
                }
                tx.MaxSeqNo = seqNo;
                return false;
            }
            // at or below the highest seen: new only if it fills a gap
            return !TakeMissing(tx.Missing, seqNo);
        }

        // a 1.6 Start/Stop re-sent under a new message id (its answer was lost) matches what is already recorded
        if ((e.Kind == TransactionEventKind.Started && tx.StartedAt == e.Timestamp && (e.MeterWh is null || e.MeterWh == tx.MeterStartWh))
            || (e.Kind == TransactionEventKind.Ended && tx.Ended && tx.EndedAt == e.Timestamp && (e.MeterWh is null || e.MeterWh == tx.MeterStopWh)))
        {
            return true;
        }

        if (tx.RecentMessageIds.Contains(e.SourceMessageId))
        {
            return true;
        }
        tx.RecentMessageIds.Add(e.SourceMessageId);
        if (tx.RecentMessageIds.Count > RecentMessageIdLimit)
        {
            tx.RecentMessageIds.RemoveAt(0);
        }
        return false;
    }

    private static bool TakeMissing(List<SeqNoRange> missing, int seqNo)
    {
        var index = missing.FindIndex(r => r.From <= seqNo && seqNo <= r.To);
        if (index < 0)
        {
            return false;
        }
        var range = missing[index];
        missing.RemoveAt(index);
        if (seqNo < range.To)
        {
            missing.Insert(index, range with { From = seqNo + 1 });
        }
        if (range.From < seqNo)
        {
            missing.Insert(index, range with { To = seqNo - 1 });
        }
        return true;
    }

    private static void ApplySamples(TransactionRecord tx, TransactionEventKind kind, IReadOnlyList<MeterSample> samples)
    {
        foreach (var sample in samples)
        {
            if (sample.Measurand != MeterSamples.EnergyActiveImportRegister || sample.Phase is not null)
            {
                continue;
            }
            switch (sample.Context)
            {
                case "Transaction.Begin":
                    tx.MeterStartWh ??= sample.Value;
                    break;
                case "Transaction.End":
                    tx.MeterStopWh ??= sample.Value;
                    break;
                case var _ when kind == TransactionEventKind.Started:
                    // many stations send the opening register reading without the Transaction.Begin context
                    tx.MeterStartWh ??= sample.Value;
                    break;
            }
            if (tx.MeterLastWh is null || sample.Value > tx.MeterLastWh)
            {
                tx.MeterLastWh = sample.Value;
            }
        }
    }

    /// <summary>Flags derive from the state, so they are set or cleared as it changes.</summary>
    private static void SetFlag(TransactionRecord tx, bool condition, string flag)
    {
        if (!condition)
        {
            tx.Flags.Remove(flag);
        }
        else if (!tx.Flags.Contains(flag))
        {
            tx.Flags.Add(flag);
        }
    }
}
