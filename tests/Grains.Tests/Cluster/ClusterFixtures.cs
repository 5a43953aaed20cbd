using Csms.Grains.Hosting;
using Csms.Grains.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Csms.Grains.Tests.Cluster;

/// <summary>The <c>Csms</c> configuration one test cluster runs with.</summary>
public interface ICsmsSettings
{
    IReadOnlyDictionary<string, string?> Values { get; }
}

/// <summary>Memory storage "csms" and the grains' services, configured from <typeparamref name="TSettings"/> in memory.</summary>
public sealed class CsmsSiloConfigurator<TSettings> : ISiloConfigurator where TSettings : ICsmsSettings, new()
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new TSettings().Values).Build();
        siloBuilder.AddCsmsMemoryGrainStorage();
        // before AddCsmsGrains, whose ledger registration then stands aside
        siloBuilder.Services.AddSingleton(new FaultInjectingLedger(new InMemoryTransactionLedger()));
        siloBuilder.Services.AddSingleton<ITransactionLedger>(sp => sp.GetRequiredService<FaultInjectingLedger>());
        siloBuilder.Services.AddCsmsGrains(configuration);
    }
}

/// <summary>One in-process silo per registration policy; shared by the test classes of its collection.</summary>
public abstract class CsmsClusterFixture<TSettings> : IAsyncLifetime where TSettings : ICsmsSettings, new()
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not deployed");

    public IClusterClient Client => Cluster.Client;

    /// <summary>The ledger singleton of the (only) silo.</summary>
    public ITransactionLedger Ledger => SiloService<ITransactionLedger>();

    /// <summary>Makes the (only) silo's ledger fail on demand.</summary>
    public FaultInjectingLedger LedgerFaults => SiloService<FaultInjectingLedger>();

    private T SiloService<T>() where T : notnull => Cluster.Primary is InProcessSiloHandle { SiloHost: { } host }
        ? host.Services.GetRequiredService<T>()
        : throw new InvalidOperationException("the primary silo is not an in-process silo");

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<CsmsSiloConfigurator<TSettings>>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class AcceptAllSettings : ICsmsSettings
{
    public const int HeartbeatInterval = 123;

    public IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Csms:Registration:Policy"] = "AcceptAll",
        ["Csms:Registration:HeartbeatIntervalSeconds"] = "123",
        ["Csms:Authorization:Tokens:0:IdToken"] = Tokens.Good,
        ["Csms:Authorization:Tokens:0:Status"] = "Accepted",
        ["Csms:Authorization:Tokens:1:IdToken"] = Tokens.Blocked,
        ["Csms:Authorization:Tokens:1:Status"] = "Blocked",
        ["Csms:Authorization:Tokens:2:IdToken"] = Tokens.Expired,
        ["Csms:Authorization:Tokens:2:Status"] = "Accepted",
        ["Csms:Authorization:Tokens:2:ExpiresAt"] = "2020-01-01T00:00:00Z",
        ["Csms:DataTransferVendors:0"] = "com.example.known",
    };
}

public static class Tokens
{
    public const string Good = "04A1B2C3";
    public const string Blocked = "0BADBAD0";
    public const string Expired = "0E0E0E0E";
    public const string Unknown = "DEADBEEF";
}

public sealed class PendingSettings : ICsmsSettings
{
    public IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Csms:Registration:Policy"] = "Pending",
        ["Csms:Registration:RetryIntervalSeconds"] = "45",
    };
}

public sealed class RejectUnknownSettings : ICsmsSettings
{
    public const string KnownStation = "Known-Station-1";

    public IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Csms:Registration:Policy"] = "RejectUnknown",
        ["Csms:Registration:KnownStations:0"] = KnownStation,
    };
}

public sealed class AcceptAllCluster : CsmsClusterFixture<AcceptAllSettings>;

public sealed class PendingCluster : CsmsClusterFixture<PendingSettings>;

public sealed class RejectUnknownCluster : CsmsClusterFixture<RejectUnknownSettings>;

[CollectionDefinition(Name)]
public sealed class AcceptAllCollection : ICollectionFixture<AcceptAllCluster>
{
    public const string Name = "AcceptAll cluster";
}

[CollectionDefinition(Name)]
public sealed class PendingCollection : ICollectionFixture<PendingCluster>
{
    public const string Name = "Pending cluster";
}

[CollectionDefinition(Name)]
public sealed class RejectUnknownCollection : ICollectionFixture<RejectUnknownCluster>
{
    public const string Name = "RejectUnknown cluster";
}
