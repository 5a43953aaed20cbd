namespace Csms.Grains.Records;

/// <summary>
/// Items a grain has acknowledged but not yet written to the record store. They live in the grain's persisted state
/// (so they survive a silo failure) and leave it in batches once the store has them.
/// </summary>
[GenerateSerializer]
public sealed class RecordOutbox<T>
{
    /// <summary>Beyond this the store has been unreachable for long; older items are dropped, and said so in the log.</summary>
    public const int Limit = 20_000;

    [Id(0)] public List<T> Pending { get; set; } = [];
    [Id(1)] public long NextSeq { get; set; } = 1;

    public long Take() => NextSeq++;

    /// <summary>Returns how many items had to be dropped to stay within <see cref="Limit"/>.</summary>
    public int Add(T item)
    {
        Pending.Add(item);
        var over = Pending.Count - Limit;
        if (over > 0)
        {
            Pending.RemoveRange(0, over);
            return over;
        }
        return 0;
    }

    /// <summary>Removes the first <paramref name="count"/> items, once the store has them.</summary>
    public void Flushed(int count) => Pending.RemoveRange(0, Math.Min(count, Pending.Count));
}
