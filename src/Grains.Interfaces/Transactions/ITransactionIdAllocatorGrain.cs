namespace Csms.Grains.Interfaces.Transactions;

/// <summary>
/// Hands out blocks of OCPP 1.6 integer transaction ids, unique across the cluster (a single activation, key 0)
/// and across restarts (the high-water mark is persisted before a block is handed out).
/// </summary>
public interface ITransactionIdAllocatorGrain : IGrainWithIntegerKey
{
    Task<TransactionIdBlock> Reserve(int count);
}

[GenerateSerializer, Immutable]
public sealed record TransactionIdBlock([property: Id(0)] int First, [property: Id(1)] int Count);
