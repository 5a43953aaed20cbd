namespace Csms.Grains.Transactions;

/// <summary>An inclusive run of seqNos not (yet) received.</summary>
[GenerateSerializer, Immutable]
public readonly record struct SeqNoRange([property: Id(0)] int From, [property: Id(1)] int To)
{
    public long Count => (long)To - From + 1;
}
