using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Transactions;

/// <summary>The persisted state of one transaction, as the EVSE grain stores it.</summary>
[GenerateSerializer]
public sealed class TransactionRecord
{
    [Id(0)] public string TransactionId { get; set; } = "";
    [Id(1)] public int EvseId { get; set; }
    [Id(2)] public int? ConnectorId { get; set; }
    [Id(3)] public string? IdToken { get; set; }
    [Id(4)] public DateTimeOffset? StartedAt { get; set; }
    [Id(5)] public DateTimeOffset? EndedAt { get; set; }
    [Id(6)] public decimal? MeterStartWh { get; set; }
    [Id(7)] public decimal? MeterLastWh { get; set; }
    [Id(8)] public decimal? MeterStopWh { get; set; }
    [Id(9)] public string? ChargingState { get; set; }
    [Id(10)] public string? StoppedReason { get; set; }
    /// <summary>Highest seqNo seen; -1 before any. Received seqNos are max and everything below it not in <see cref="Missing"/>.</summary>
    [Id(11)] public int MaxSeqNo { get; set; } = -1;
    /// <summary>Gaps as ranges, ascending: a jump of any size costs one entry and every seqNo in it can still arrive.</summary>
    [Id(12)] public List<SeqNoRange> Missing { get; set; } = [];
    [Id(13)] public int OfflineEvents { get; set; }
    [Id(14)] public int EventsReceived { get; set; }
    [Id(15)] public bool Ended { get; set; }
    [Id(16)] public List<string> Flags { get; set; } = [];
    /// <summary>Recent message ids of seqNo-less (1.6) messages, to recognise retries.</summary>
    [Id(17)] public List<string> RecentMessageIds { get; set; } = [];
    [Id(18)] public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>Stop (or last) minus start; null when unknown, or when absurd readings would overflow decimal.</summary>
    public decimal? EnergyWh => MeterStartWh is { } start && (MeterStopWh ?? MeterLastWh) is { } end ? Difference(end, start) : null;

    private static decimal? Difference(decimal end, decimal start)
    {
        try
        {
            return end - start;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>How many missing seqNos the snapshot lists one by one; <see cref="TransactionSnapshot.MissingSeqNoCount"/> counts all.</summary>
    public const int ListedMissingLimit = 100;

    public TransactionSnapshot ToSnapshot() => new(
        TransactionId, EvseId, ConnectorId, IdToken, StartedAt, EndedAt, MeterStartWh, MeterStopWh ?? MeterLastWh, EnergyWh,
        ChargingState, StoppedReason, ListMissing(), OfflineEvents, EventsReceived, !Ended, Flags.ToArray(),
        Missing.Sum(r => r.Count));

    private int[] ListMissing()
    {
        var listed = new List<int>();
        foreach (var range in Missing)
        {
            for (var n = range.From; n <= range.To && listed.Count < ListedMissingLimit; n++)
            {
                listed.Add(n);
            }
        }
        return [.. listed];
    }
}
