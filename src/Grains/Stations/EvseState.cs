using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Records;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Transactions;

namespace Csms.Grains.Stations;

[GenerateSerializer]
public sealed class EvseState
{
    [Id(0)] public Dictionary<int, ConnectorSnapshot> Connectors { get; set; } = [];
    [Id(1)] public TransactionRecord? Active { get; set; }
    /// <summary>The last few ended transactions, newest last: late offline replays for them still find their record.</summary>
    [Id(2)] public List<TransactionRecord> Recent { get; set; } = [];
    // Id(3) was LastMeterValues: the latest readings are live state of the activation now, not written with every sample
    // (the samples themselves are durable in SampleOutbox and then the record store); the id stays unused
    /// <summary>Meter values acknowledged to the station and not yet in the record store.</summary>
    [Id(4)] public RecordOutbox<SequencedSample> SampleOutbox { get; set; } = new();
}
