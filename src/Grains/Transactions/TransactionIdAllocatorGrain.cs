using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Transactions;

[GenerateSerializer]
public sealed class TransactionIdAllocatorState
{
    [Id(0)] public int Next { get; set; }
}

public sealed class TransactionIdAllocatorGrain(
    [PersistentState("txids", CsmsStorage.ProviderName)] IPersistentState<TransactionIdAllocatorState> state,
    TimeProvider clock) : Grain, ITransactionIdAllocatorGrain
{
    private static readonly DateTimeOffset SeedEpoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<TransactionIdBlock> Reserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (state.State.Next == 0)
        {
            // first use of an empty store (always so in standalone mode): start at the seconds since 2020 so that
            // ids after a standalone restart do not collide with ids stations still hold from before it
            state.State.Next = Math.Max(1, (int)(clock.GetUtcNow() - SeedEpoch).TotalSeconds);
        }
        var first = state.State.Next;
        if (first > int.MaxValue - count)
        {
            throw new InvalidOperationException("OCPP 1.6 transaction ids are exhausted (int32)");
        }
        state.State.Next = first + count;
        await state.WriteStateAsync();
        return new TransactionIdBlock(first, count);
    }
}
