using System.Collections.Concurrent;
using Csms.Grains.History;
using Csms.Grains.Interfaces.History;

namespace Csms.Grains.Records;

/// <summary>Standalone mode's records: kept for the life of the process, the newest <see cref="Limit"/> per station and kind.</summary>
public sealed class InMemoryStationRecordStore : IStationRecordStore
{
    public const int Limit = 10_000;

    private readonly ConcurrentDictionary<string, SortedList<long, SequencedEvent>> _events = new();
    private readonly ConcurrentDictionary<(string, int), SortedList<long, SequencedSample>> _samples = new();
    private readonly ConcurrentDictionary<string, SortedList<long, StoredCommand>> _commands = new();
    private readonly ConcurrentDictionary<string, StationRegistryEntry> _stations = new();

    public IReadOnlyCollection<StationRegistryEntry> Stations => [.. _stations.Values];

    public Task AppendEventsAsync(string stationId, IReadOnlyList<SequencedEvent> events, CancellationToken cancellationToken = default)
    {
        Append(_events.GetOrAdd(stationId, _ => []), events, e => e.Seq);
        return Task.CompletedTask;
    }

    public Task AppendMeterValuesAsync(string stationId, int evseId, IReadOnlyList<SequencedSample> samples, CancellationToken cancellationToken = default)
    {
        Append(_samples.GetOrAdd((stationId, evseId), _ => []), samples, s => s.Seq);
        return Task.CompletedTask;
    }

    public Task AppendCommandsAsync(string stationId, IReadOnlyList<StoredCommand> commands, CancellationToken cancellationToken = default)
    {
        Append(_commands.GetOrAdd(stationId, _ => []), [.. commands.Select(c => c with { StationId = stationId })], c => c.Seq);
        return Task.CompletedTask;
    }

    public Task UpsertStationAsync(StationRegistryEntry entry, CancellationToken cancellationToken = default)
    {
        // as in PostgreSQL: a write that was overtaken by a newer one does not roll the row back
        _stations.AddOrUpdate(entry.StationId, entry, (_, existing) => existing.LastSeen <= entry.LastSeen ? entry : existing);
        return Task.CompletedTask;
    }

    public Task RemoveStationAsync(string stationId, CancellationToken cancellationToken = default)
    {
        _stations.TryRemove(stationId, out _);
        return Task.CompletedTask;
    }

    public Task<Page<StationSummary>> ListStationsAsync(StationQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadStationCursor(query.Cursor);
        var rows = _stations.Values
            .Where(e => (after is null || string.CompareOrdinal(e.StationId, after) > 0) && Matches(e, query))
            .OrderBy(e => e.StationId, StringComparer.Ordinal)
            .Take(limit + 1)
            .Select(e => new StationSummary(e.StationId, e.Site, e.Description, e.Boot?.Vendor, e.Boot?.Model, e.Boot?.SerialNumber,
                e.Boot?.FirmwareVersion, e.Registration, e.OcppVersion, e.Connected, e.GatewayId, e.LastSeen))
            .ToArray();
        return Task.FromResult(Paging.ToPage(rows, limit, s => Paging.StationCursor(s.StationId)));
    }

    public Task<Page<StoredStationEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.StationId);
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadSeqCursor(query.Cursor, Paging.Events);
        var rows = Events(query.StationId)
            .Reverse()
            .Where(e => (after is null || e.Seq < after)
                && (query.Kind is null || e.Event.Kind == query.Kind)
                && (query.From is null || e.Event.Timestamp >= query.From)
                && (query.To is null || e.Event.Timestamp < query.To)
                && (query.DetailPrefix is null || e.Event.Detail.StartsWith(query.DetailPrefix, StringComparison.Ordinal)))
            .Take(limit + 1)
            .Select(e => new StoredStationEvent(query.StationId, e.Seq, e.Event))
            .ToArray();
        return Task.FromResult(Paging.ToPage(rows, limit, e => Paging.SeqCursor(Paging.Events, e.Seq)));
    }

    public Task<Page<StoredCommand>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.StationId);
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadSeqCursor(query.Cursor, Paging.Commands);
        IReadOnlyList<StoredCommand> all = _commands.TryGetValue(query.StationId, out var list) ? Snapshot(list) : [];
        var rows = all
            .Reverse()
            .Where(c => (after is null || c.Seq < after) && (query.Action is null || c.Command.Action == query.Action))
            .Take(limit + 1)
            .ToArray();
        return Task.FromResult(Paging.ToPage(rows, limit, c => Paging.SeqCursor(Paging.Commands, c.Seq)));
    }

    public Task<IReadOnlyList<StoredMeterValue>> ListTransactionMeterValuesAsync(string stationId, string transactionId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StoredMeterValue> rows = _samples
            .Where(s => s.Key.Item1 == stationId)
            .SelectMany(s => Snapshot(s.Value)
                .Where(v => v.TransactionId == transactionId)
                .Select(v => new StoredMeterValue(s.Key.Item2, v.Seq, v.TransactionId, v.Sample)))
            .OrderBy(v => v.Sample.Timestamp)
            .ThenBy(v => v.EvseId)
            .ThenBy(v => v.Seq)
            .ToArray();
        return Task.FromResult(rows);
    }

    public IReadOnlyList<SequencedEvent> Events(string stationId) =>
        _events.TryGetValue(stationId, out var list) ? Snapshot(list) : [];

    public IReadOnlyList<SequencedSample> MeterValues(string stationId, int evseId) =>
        _samples.TryGetValue((stationId, evseId), out var list) ? Snapshot(list) : [];

    private static bool Matches(StationRegistryEntry e, StationQuery q) =>
        (q.Site is null || e.Site == q.Site)
        && (q.Connected is null || e.Connected == q.Connected)
        && (q.Registration is null || e.Registration == q.Registration)
        && (q.OcppVersion is null || e.OcppVersion == q.OcppVersion)
        && (q.Vendor is null || string.Equals(e.Boot?.Vendor, q.Vendor, StringComparison.OrdinalIgnoreCase))
        && (q.Model is null || string.Equals(e.Boot?.Model, q.Model, StringComparison.OrdinalIgnoreCase));

    private static void Append<T>(SortedList<long, T> list, IReadOnlyList<T> items, Func<T, long> seq)
    {
        lock (list)
        {
            foreach (var item in items)
            {
                list.TryAdd(seq(item), item);
            }
            while (list.Count > Limit)
            {
                list.RemoveAt(0);
            }
        }
    }

    private static T[] Snapshot<T>(SortedList<long, T> list)
    {
        lock (list)
        {
            return [.. list.Values];
        }
    }
}
