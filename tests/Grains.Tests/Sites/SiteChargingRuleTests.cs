using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Stations;

namespace Csms.Grains.Tests.Sites;

/// <summary>Which transaction messages make a session want (or stop wanting) a share of its site's power.</summary>
public class SiteChargingRuleTests
{
    [Theory]
    [InlineData(TransactionEventKind.Started, null, true)] // 1.6 StartTransaction: energy may flow
    [InlineData(TransactionEventKind.Started, "EVConnected", false)] // 2.x TxStartPoint EVConnected: not authorized yet
    [InlineData(TransactionEventKind.Started, "Charging", true)]
    [InlineData(TransactionEventKind.Updated, "Charging", true)]
    [InlineData(TransactionEventKind.Updated, "SuspendedEVSE", true)] // held by the EVSE (e.g. at 0 A by the site): wants power
    [InlineData(TransactionEventKind.Updated, "SuspendedEV", true)] // the EV paused: keeps its minimum to resume
    [InlineData(TransactionEventKind.Updated, "EVConnected", false)] // deauthorized (C15.FR.03) or not started
    [InlineData(TransactionEventKind.Updated, "Idle", false)]
    [InlineData(TransactionEventKind.Updated, null, null)] // E02.FR.13: chargingState only when it changes
    [InlineData(TransactionEventKind.Ended, "Charging", false)]
    [InlineData(TransactionEventKind.Ended, null, false)]
    public void A_message_sets_whether_the_session_wants_power_or_leaves_it_as_it_was(TransactionEventKind kind, string? chargingState, bool? expected)
    {
        var data = new TransactionEventData("tx-1", kind, DateTimeOffset.UnixEpoch, null, false, null, chargingState, null, 1, null, [], null, "m-1");
        Assert.Equal(expected, StationRecords.SiteCharging(data));
    }
}
