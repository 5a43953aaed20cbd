using Microsoft.Extensions.Logging;

namespace Csms.Grains.Storage;

/// <summary>
/// What a grain does when a change fails part-way (the ledger, the record store or the grain storage threw): the
/// state in memory is put back to what is durable, so that the station's retry re-applies the change instead of being
/// taken for a duplicate of one that was never recorded.
/// </summary>
public static class UnsavedChanges
{
    public static async Task DiscardAsync<TState>(IGrainBase grain, IPersistentState<TState> state, ILogger logger, Exception cause)
    {
        try
        {
            await state.ReadStateAsync();
            logger.LogWarning(cause, "{Grain}: a change failed part-way; its unsaved state was discarded", grain.GrainContext.GrainId);
        }
        catch (Exception readFailure)
        {
            // storage is unreachable too: drop the activation, the next message activates it again from storage
            logger.LogError(readFailure, "{Grain}: a change failed and storage could not be re-read; deactivating", grain.GrainContext.GrainId);
            grain.DeactivateOnIdle();
        }
    }
}
