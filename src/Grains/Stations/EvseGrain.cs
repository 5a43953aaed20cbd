using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Ledger;
using Csms.Grains.Records;
using Csms.Grains.Storage;
using Csms.Grains.Transactions;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace Csms.Grains.Stations;

/// <summary>An EVSE: its connectors and its transaction. Placed beside its station grain, which is its only caller.</summary>
[PreferLocalPlacement]
public sealed class EvseGrain(
    [PersistentState("evse", CsmsStorage.ProviderName)] IPersistentState<EvseState> state,
    ITransactionLedger ledger,
    IStationRecordStore records,
    ILogger<EvseGrain> logger) : Grain, IEvseGrain
{
    private const int RecentLimit = 5;
    private const int LastMeterValuesLimit = 20;

    /// <summary>The latest readings, for the read API: since this activation started (the history is in the record store).</summary>
    private readonly List<MeterSample> _lastMeterValues = [];

    private RecordFlush<SequencedSample>? _sampleFlush;

    private RecordFlush<SequencedSample> SampleFlush => _sampleFlush ??= new RecordFlush<SequencedSample>(
        this, () => state.State.SampleOutbox, batch => records.AppendMeterValuesAsync(StationId, EvseId, batch), () => state.WriteStateAsync(), logger);

    private string StationId => EvseKey.Parse(this.GetPrimaryKeyString()).StationId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        SampleFlush.Schedule();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await SampleFlush.FlushIfPendingAsync(cancellationToken);
    }

    private int EvseId => EvseKey.Parse(this.GetPrimaryKeyString()).EvseId;

    public Task UpdateConnector(ConnectorStatusUpdate update) => Durably(async () =>
    {
        // status notifications can arrive late (offline queue): never let an older one overwrite a newer one
        if (state.State.Connectors.TryGetValue(update.ConnectorId, out var current) && current.Since > update.Timestamp)
        {
            return;
        }
        state.State.Connectors[update.ConnectorId] = new ConnectorSnapshot(update.ConnectorId, update.Status, update.ErrorCode, update.Timestamp);
        await state.WriteStateAsync();
    });

    public Task<TransactionEventOutcome> ApplyTransactionEvent(TransactionEventData data) => Durably(async () =>
    {
        var evse = state.State;
        var tx = Find(data.TransactionId);
        if (tx is null)
        {
            tx = TransactionStateMachine.Create(data.TransactionId, EvseId);
            if (evse.Active is null)
            {
                evse.Active = tx;
            }
            else if (data.Kind == TransactionEventKind.Started && !(data.Timestamp < evse.Active.StartedAt))
            {
                // a newer transaction started while the open one never ended: its end was lost; close it, flagged, rather than drop it
                var previous = evse.Active;
                previous.Flags.Add("EndNotReceived");
                previous.Ended = true;
                previous.EndedAt ??= data.Timestamp;
                evse.Recent.Add(previous);
                await Complete(previous);
                evse.Active = tx;
            }
            else
            {
                // a late (offline) event of an older transaction we no longer hold: kept beside the open one, which it must not end
                evse.Recent.Add(tx);
            }
        }

        var result = TransactionStateMachine.Apply(tx, data);
        if (result == TransactionEventResult.Duplicate)
        {
            return new TransactionEventOutcome(result, tx.ToSnapshot());
        }

        if (tx.Ended && ReferenceEquals(evse.Active, tx))
        {
            evse.Active = null;
            evse.Recent.Add(tx);
        }
        TrimRecent(evse);
        if (data.Samples.Count > 0)
        {
            RememberMeterValues(data.Samples, data.TransactionId);
        }
        if (tx.Ended)
        {
            // every applied event of an ended transaction updates its ledger row (a late offline Started completes it);
            // keyed by (station, transaction id), so a retry after a crash between these two writes does no harm
            await Complete(tx);
        }
        await state.WriteStateAsync();
        return new TransactionEventOutcome(result, tx.ToSnapshot());
    });

    public Task RecordMeterValues(IReadOnlyList<MeterSample> samples) => Durably(async () =>
    {
        RememberMeterValues(samples, null);
        await state.WriteStateAsync();
    });

    /// <summary>
    /// Runs a change of the durable state. If it fails part-way, e.g. the ledger write of an ending transaction, the
    /// change is forgotten: kept in memory, the station's retry would be answered as a duplicate and never recorded.
    /// </summary>
    private async Task Durably(Func<Task> change) => await Durably(async () =>
    {
        await change();
        return true;
    });

    private async Task<T> Durably<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception ex)
        {
            await UnsavedChanges.DiscardAsync(this, state, logger, ex);
            throw;
        }
    }

    public Task<EvseSnapshot> GetSnapshot() => Task.FromResult(new EvseSnapshot(
        EvseId,
        state.State.Connectors.Values.OrderBy(c => c.ConnectorId).ToArray(),
        state.State.Active?.ToSnapshot(),
        state.State.Recent.Select(t => t.ToSnapshot()).Reverse().ToArray(),
        _lastMeterValues.ToArray()));

    private TransactionRecord? Find(string transactionId)
    {
        if (state.State.Active is { } active && active.TransactionId == transactionId)
        {
            return active;
        }
        return state.State.Recent.FirstOrDefault(t => t.TransactionId == transactionId);
    }

    private async Task Complete(TransactionRecord tx)
    {
        var recorded = await ledger.RecordCompletedAsync(StationId, tx.ToSnapshot());
        if (recorded)
        {
            logger.LogInformation("Transaction {TransactionId} on {Station} EVSE {Evse} completed: {EnergyWh} Wh, flags [{Flags}]",
                tx.TransactionId, StationId, tx.EvseId, tx.EnergyWh, string.Join(",", tx.Flags));
        }
    }

    private void RememberMeterValues(IReadOnlyList<MeterSample> samples, string? transactionId)
    {
        var list = _lastMeterValues;
        list.AddRange(samples);
        if (list.Count > LastMeterValuesLimit)
        {
            list.RemoveRange(0, list.Count - LastMeterValuesLimit);
        }
        var outbox = state.State.SampleOutbox;
        var dropped = 0;
        foreach (var sample in samples)
        {
            dropped += outbox.Add(new SequencedSample(outbox.Take(), transactionId, sample));
        }
        if (dropped > 0)
        {
            logger.LogError("{Station} EVSE {Evse}: the record store has been unreachable for long; {Dropped} old meter value(s) dropped",
                StationId, EvseId, dropped);
        }
        SampleFlush.Schedule();
    }

    private static void TrimRecent(EvseState evse)
    {
        if (evse.Recent.Count > RecentLimit)
        {
            evse.Recent.RemoveRange(0, evse.Recent.Count - RecentLimit);
        }
    }
}
