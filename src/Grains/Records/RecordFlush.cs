using Microsoft.Extensions.Logging;

namespace Csms.Grains.Records;

/// <summary>
/// Moves a grain's <see cref="RecordOutbox{T}"/> to the record store in batches, shortly after items arrive, inside
/// the grain's own turns (a non-interleaving grain timer), retrying with a pause while the store fails.
/// </summary>
public sealed class RecordFlush<T>(
    IGrainBase grain,
    Func<RecordOutbox<T>> outbox,
    Func<IReadOnlyList<T>, Task> write,
    Func<Task> persist,
    ILogger logger)
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _timer;

    /// <summary>Arranges a flush soon, unless one is already arranged or nothing is pending.</summary>
    public void Schedule() => Schedule(Delay);

    private void Schedule(TimeSpan due)
    {
        if (_timer is not null || outbox().Pending.Count == 0)
        {
            return;
        }
        _timer = grain.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan });
    }

    /// <summary>On deactivation: writes what is pending, if anything.</summary>
    public Task FlushIfPendingAsync(CancellationToken cancellationToken) =>
        outbox().Pending.Count > 0 ? FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Writes what is pending now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        var pending = outbox().Pending;
        try
        {
            while (pending.Count > 0)
            {
                var batch = pending.Take(BatchSize).ToArray();
                await write(batch);
                outbox().Flushed(batch.Length);
                await persist();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Writing {Count} {Kind} record(s) failed; retrying in {Delay}", pending.Count, typeof(T).Name, RetryDelay);
            Schedule(RetryDelay);
        }
    }
}
