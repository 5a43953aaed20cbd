using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Transactions;

namespace Csms.Grains.Tests.Domain;

public class TransactionStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static TransactionEventData Event(TransactionEventKind kind, int? seqNo, int minutes, decimal? meterWh = null,
        IReadOnlyList<MeterSample>? samples = null, bool offline = false, string? chargingState = null, string? idToken = null,
        string? messageId = null, string? stoppedReason = null) =>
        new("tx-1", kind, T0.AddMinutes(minutes), seqNo, offline, null, chargingState, idToken, 1, meterWh, samples ?? [],
            stoppedReason, messageId ?? Guid.NewGuid().ToString("N"));

    private static MeterSample Energy(int minutes, decimal wh, string context = "Sample.Periodic") =>
        new(T0.AddMinutes(minutes), MeterSamples.EnergyActiveImportRegister, wh, "Wh", null, context, null);

    [Fact]
    public void Started_updated_ended_lifecycle_computes_energy_and_ends_the_transaction()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);

        Assert.Equal(TransactionEventResult.Applied, TransactionStateMachine.Apply(tx,
            Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, 1000, "Transaction.Begin")], chargingState: "Charging", idToken: "TOKEN")));
        Assert.Equal(TransactionEventResult.Applied, TransactionStateMachine.Apply(tx,
            Event(TransactionEventKind.Updated, 1, 10, samples: [Energy(10, 4000)])));
        var active = tx.ToSnapshot();
        Assert.True(active.Active);
        Assert.Equal(3000m, active.EnergyWh);
        Assert.Equal("Charging", active.ChargingState);

        Assert.Equal(TransactionEventResult.Applied, TransactionStateMachine.Apply(tx,
            Event(TransactionEventKind.Ended, 2, 20, samples: [Energy(20, 7500, "Transaction.End")], stoppedReason: "EVDisconnected")));

        var ended = tx.ToSnapshot();
        Assert.False(ended.Active);
        Assert.Equal(1000m, ended.MeterStartWh);
        Assert.Equal(7500m, ended.MeterLastWh);
        Assert.Equal(6500m, ended.EnergyWh);
        Assert.Equal(T0, ended.StartedAt);
        Assert.Equal(T0.AddMinutes(20), ended.EndedAt);
        Assert.Equal("EVDisconnected", ended.StoppedReason);
        Assert.Equal("Idle", ended.ChargingState);
        Assert.Equal("TOKEN", ended.IdToken);
        Assert.Equal(3, ended.EventsReceived);
        Assert.Empty(ended.MissingSeqNos);
        Assert.Empty(ended.Flags);
    }

    [Fact]
    public void A_Started_event_with_a_periodic_energy_reading_takes_it_as_the_start()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);

        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, 1200)]));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, 1, 30, samples: [Energy(30, 4200)]));

        Assert.Equal(1200m, tx.MeterStartWh);
        Assert.Equal(3000m, tx.ToSnapshot().EnergyWh);
    }

    [Fact]
    public void The_same_seqNo_twice_is_a_duplicate_and_changes_nothing()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, 100, "Transaction.Begin")]));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 1, 5, samples: [Energy(5, 200)], chargingState: "Charging"));
        var before = tx.ToSnapshot();

        var result = TransactionStateMachine.Apply(tx,
            Event(TransactionEventKind.Updated, 1, 6, samples: [Energy(6, 900)], offline: true, chargingState: "SuspendedEV"));

        Assert.Equal(TransactionEventResult.Duplicate, result);
        var after = tx.ToSnapshot();
        Assert.Equal(before.EventsReceived, after.EventsReceived);
        Assert.Equal(before.MeterLastWh, after.MeterLastWh);
        Assert.Equal(before.ChargingState, after.ChargingState);
        Assert.Equal(before.OfflineEvents, after.OfflineEvents);
        Assert.Equal(before.MissingSeqNos, after.MissingSeqNos);
    }

    [Fact]
    public void A_seqNo_gap_is_reported_and_filled_by_a_late_offline_replay()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 4, 40));

        Assert.Equal([1, 2, 3], tx.ToSnapshot().MissingSeqNos);

        Assert.Equal(TransactionEventResult.Applied, TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 2, 20, offline: true)));
        Assert.Equal([1, 3], tx.ToSnapshot().MissingSeqNos);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 1, 10, offline: true));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 3, 30, offline: true));

        var snapshot = tx.ToSnapshot();
        Assert.Empty(snapshot.MissingSeqNos);
        Assert.Equal(3, snapshot.OfflineEvents);
        Assert.Equal(5, snapshot.EventsReceived);
        // a replay of something already filled is a duplicate
        Assert.Equal(TransactionEventResult.Duplicate, TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 2, 20, offline: true)));
    }

    [Fact]
    public void Ended_arriving_before_an_older_updated_still_gives_the_right_result()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, 500, "Transaction.Begin")], chargingState: "Charging"));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, 2, 30, samples: [Energy(30, 2500, "Transaction.End")], chargingState: "Idle"));
        Assert.Equal([1], tx.ToSnapshot().MissingSeqNos);

        var result = TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 1, 15, samples: [Energy(15, 1500)], chargingState: "SuspendedEV"));

        Assert.Equal(TransactionEventResult.Applied, result);
        var snapshot = tx.ToSnapshot();
        Assert.False(snapshot.Active);
        Assert.Empty(snapshot.MissingSeqNos);
        Assert.Equal(2000m, snapshot.EnergyWh);
        Assert.Equal(2500m, snapshot.MeterLastWh);
        Assert.Equal("Idle", snapshot.ChargingState);
        Assert.Equal(T0.AddMinutes(30), snapshot.EndedAt);
        Assert.Empty(snapshot.Flags);
    }

    [Fact]
    public void Ended_arriving_before_started_clears_the_start_not_received_flag_once_started_arrives()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, 1, 30, samples: [Energy(30, 2500, "Transaction.End")]));
        Assert.Contains("StartNotReceived", tx.ToSnapshot().Flags);

        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, 500, "Transaction.Begin")], offline: true));

        var snapshot = tx.ToSnapshot();
        Assert.Equal(2000m, snapshot.EnergyWh);
        Assert.Equal(T0, snapshot.StartedAt);
        Assert.DoesNotContain("StartNotReceived", snapshot.Flags);
    }

    [Fact]
    public void A_huge_seqNo_jump_is_flagged_and_kept_as_one_range()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0));

        var result = TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, int.MaxValue, 1));

        Assert.Equal(TransactionEventResult.Applied, result);
        var snapshot = tx.ToSnapshot();
        Assert.Contains("SeqNoJump", snapshot.Flags);
        Assert.Equal(int.MaxValue - 1L, snapshot.MissingSeqNoCount);
        Assert.Equal(TransactionRecord.ListedMissingLimit, snapshot.MissingSeqNos.Count);
        Assert.Single(tx.Missing);
        Assert.Equal(2, snapshot.EventsReceived);
    }

    [Fact]
    public void An_event_inside_a_huge_seqNo_jump_is_still_recorded_not_taken_for_a_duplicate()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 1_000_000, 2));

        Assert.Equal(TransactionEventResult.Applied, TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 500_000, 1)));
        Assert.Equal(TransactionEventResult.Duplicate, TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 500_000, 1)));

        Assert.Equal(999_998, tx.ToSnapshot().MissingSeqNoCount);
        Assert.Equal(2, tx.Missing.Count);
    }

    [Fact]
    public void A_jump_just_within_the_tracked_limit_is_not_flagged()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0));

        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, TransactionStateMachine.MaxTrackedGap + 1, 1));

        var snapshot = tx.ToSnapshot();
        Assert.Equal(TransactionStateMachine.MaxTrackedGap, snapshot.MissingSeqNoCount);
        Assert.DoesNotContain("SeqNoJump", snapshot.Flags);
    }

    [Fact]
    public void A_seqNo_less_retry_with_the_same_message_id_is_a_duplicate()
    {
        var tx = TransactionStateMachine.Create("42", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, null, 0, meterWh: 100, messageId: "start-1"));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, null, 5, samples: [Energy(5, 300)], messageId: "mv-1"));

        Assert.Equal(TransactionEventResult.Duplicate,
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, null, 5, samples: [Energy(5, 300)], messageId: "mv-1")));
        Assert.Equal(TransactionEventResult.Applied,
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, null, 10, samples: [Energy(10, 600)], messageId: "mv-2")));
        Assert.Equal(TransactionEventResult.Applied,
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, 15, meterWh: 900, messageId: "stop-1")));
        Assert.Equal(TransactionEventResult.Duplicate,
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, 15, meterWh: 900, messageId: "stop-1")));

        var snapshot = tx.ToSnapshot();
        Assert.Equal(4, snapshot.EventsReceived);
        Assert.Equal(800m, snapshot.EnergyWh);
    }

    [Fact]
    public void Meter_stop_below_meter_start_is_flagged_negative_energy()
    {
        var tx = TransactionStateMachine.Create("42", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, null, 0, meterWh: 5000));

        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, 10, meterWh: 4000));

        var snapshot = tx.ToSnapshot();
        Assert.Equal(-1000m, snapshot.EnergyWh);
        Assert.Contains("NegativeEnergy", snapshot.Flags);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(14, null)]                  // a clock a little ahead is within tolerance
    [InlineData(16, "FutureTimestamp")]
    [InlineData(60 * 24 * 365, "FutureTimestamp")]
    [InlineData(-60 * 24 * 29, null)]       // an offline queue replayed after four weeks
    [InlineData(-60 * 24 * 31, "StaleTimestamp")]
    [InlineData(-60 * 24 * 365 * 55, "StaleTimestamp")] // a clock reset to 1970
    public void A_timestamp_far_from_when_the_CSMS_received_it_is_answered_but_flagged(int minutesFromReceipt, string? flag)
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        var received = T0.AddMinutes(60);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, meterWh: 1000) with { ReceivedAt = received });

        var result = TransactionStateMachine.Apply(tx,
            Event(TransactionEventKind.Updated, 1, 0) with { Timestamp = received.AddMinutes(minutesFromReceipt), ReceivedAt = received });

        Assert.Equal(TransactionEventResult.Applied, result);
        if (flag is null)
        {
            Assert.Empty(tx.ToSnapshot().Flags);
        }
        else
        {
            Assert.Equal([flag], tx.ToSnapshot().Flags);
        }
    }

    [Theory]
    [InlineData(60, 1_000_000, false)]      // 1 MWh in an hour: a megawatt charger
    [InlineData(60, 5_000_000, true)]       // 5 MW for an hour: beyond any standard (MCS 3.75 MW)
    [InlineData(0, 60_000, false)]          // a zero-length transaction counts as a minute
    [InlineData(0, 100_000, true)]
    public void Energy_no_charger_could_deliver_in_the_time_is_flagged_implausible(int minutes, decimal energyWh, bool flagged)
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, null, 0, meterWh: 1000));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, minutes, meterWh: 1000 + energyWh));

        Assert.Equal(flagged, tx.ToSnapshot().Flags.Contains("ImplausibleEnergy"));
    }

    [Fact]
    public void A_meter_too_large_for_any_arithmetic_ends_the_transaction_without_energy_rather_than_failing()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, null, 0, meterWh: decimal.MinValue));
        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, 10, meterWh: decimal.MaxValue));

        var snapshot = tx.ToSnapshot();
        Assert.False(snapshot.Active);
        Assert.Null(snapshot.EnergyWh);
    }

    [Fact]
    public void An_end_without_a_start_is_flagged_start_not_received()
    {
        var tx = TransactionStateMachine.Create("42", 1);

        TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, null, 10, meterWh: 4000));

        var snapshot = tx.ToSnapshot();
        Assert.False(snapshot.Active);
        Assert.Null(snapshot.EnergyWh);
        Assert.Contains("StartNotReceived", snapshot.Flags);
    }

    [Fact]
    public void Absurd_meter_values_do_not_throw()
    {
        var tx = TransactionStateMachine.Create("tx-1", 1);

        var exception = Record.Exception(() =>
        {
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Started, 0, 0, samples: [Energy(0, decimal.MinValue, "Transaction.Begin")]));
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Updated, 1, 1, samples: [Energy(1, decimal.MaxValue)]));
            TransactionStateMachine.Apply(tx, Event(TransactionEventKind.Ended, 2, 2, samples: [Energy(2, decimal.MaxValue, "Transaction.End")]));
            tx.ToSnapshot();
        });

        Assert.Null(exception);
        Assert.False(tx.ToSnapshot().Active);
    }
}
