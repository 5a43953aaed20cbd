using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Ocpp;
using Microsoft.Extensions.Logging;

namespace Csms.Grains.Stations;

/// <summary>What a version's message handlers may use of their station grain. Handlers run inside the grain's turn.</summary>
public interface IStationContext
{
    string StationId { get; }

    OcppVersion Version { get; }

    CsmsOptions Options { get; }

    DateTimeOffset Now { get; }

    /// <summary>The grain's state; handlers that change it call <see cref="MarkDirty"/> so it is written before the answer.</summary>
    StationState State { get; }

    ILogger Logger { get; }

    IEvseGrain Evse(int evseId);

    Task<IdTokenDecision> AuthorizeAsync(string idToken);

    Task<int> NextTransactionIdAsync();

    Task<RegistrationStatus> DecideRegistrationAsync();

    void AddEvent(string kind, string detail);

    /// <summary>Security profile 3: the serial number (CN) of the client certificate the current connection was verified with.</summary>
    string? CertificateSerial { get; }

    void MarkDirty();

    /// <summary>
    /// Tells the station's site (if it has one) how a session on an EVSE stands: charging or not (null: unchanged), and
    /// what it draws (0 when the EV suspended itself and no reading says otherwise).
    /// </summary>
    void NotifySite(int evseId, bool? charging, IReadOnlyList<MeterSample> samples, DateTimeOffset at, bool suspendedByEv = false);
}
