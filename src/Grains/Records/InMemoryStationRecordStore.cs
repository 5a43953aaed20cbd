using System.Collections.Concurrent;

namespace Csms.Grains.Records;

/// <summary>Standalone mode's records: kept for the life of the process, the newest <see cref="Limit"/> per station and kind.</summary>
public sealed class InMemoryStationRecordStore : IStationRecordStore
{
    public const int Limit = 10_000;

    private readonly ConcurrentDictionary<string, SortedList<long, SequencedEvent>> _events = new();
    private readonly ConcurrentDictionary<(string, int), SortedList<long, SequencedSample>> _samples = new();
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

    public Task UpsertStationAsync(StationRegistryEntry entry, CancellationToken cancellationToken = default)
    {
        _stations[entry.StationId] = entry;
        return Task.CompletedTask;
    }

    public IReadOnlyList<SequencedEvent> Events(string stationId) =>
        _events.TryGetValue(stationId, out var list) ? Snapshot(list) : [];

    public IReadOnlyList<SequencedSample> MeterValues(string stationId, int evseId) =>
        _samples.TryGetValue((stationId, evseId), out var list) ? Snapshot(list) : [];

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
