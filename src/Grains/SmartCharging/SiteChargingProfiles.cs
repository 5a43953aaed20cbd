using Csms.Ocpp;
using Csms.Ocpp.Commands;

namespace Csms.Grains.SmartCharging;

/// <summary>
/// The charging profiles that carry a site's allocation to one EVSE. Both are TxDefaultProfiles on that EVSE (they
/// apply to whatever session runs there, now and next, so no transaction id is needed and a new session starts within
/// the limit), one period, in amperes per phase. Each EVSE has one of each, always with the same id and stack level,
/// so a new one replaces the previous (1.6 section 3.13.2, 2.x K01.FR.05):
/// <list type="bullet">
/// <item>the <b>lease</b>: the live allocation, valid until a validTo the site renews (K01.FR.37: past validTo a
/// profile no longer applies), at <see cref="StackLevel"/>;</item>
/// <item>the <b>fallback</b>: a conservative limit without end, one stack level below, sent when the station connects.
/// It governs once a lease ran out, i.e. when the station stopped hearing from the site (offline, or refusing), so
/// what an unreachable station may draw is always known.</item>
/// </list>
/// </summary>
public static class SiteChargingProfiles
{
    /// <summary>Above the stack levels stations ship with, below what an operator would use to override by hand.</summary>
    public const int StackLevel = 50;

    /// <summary>The fallback's stack level: below the lease, so the lease wins while it is valid.</summary>
    public const int FallbackStackLevel = StackLevel - 1;

    /// <summary>Lease profile ids are 9_000_000 + EVSE id: one per EVSE, unlikely to collide with an operator's own.</summary>
    public const int IdBase = 9_000_000;

    /// <summary>Fallback profile ids are 9_500_000 + EVSE id.</summary>
    public const int FallbackIdBase = 9_500_000;

    /// <summary>The lease: <paramref name="amps"/> per phase on <paramref name="evseId"/> until <paramref name="validTo"/>.</summary>
    public static SetChargingProfileCommand Limit(int evseId, decimal amps, int? numberPhases, DateTimeOffset now, DateTimeOffset? validTo = null) =>
        Profile(IdBase, StackLevel, evseId, amps, numberPhases, now, validTo);

    /// <summary>The fallback: <paramref name="amps"/> per phase on <paramref name="evseId"/>, without end.</summary>
    public static SetChargingProfileCommand Fallback(int evseId, decimal amps, int? numberPhases, DateTimeOffset now) =>
        Profile(FallbackIdBase, FallbackStackLevel, evseId, amps, numberPhases, now, null);

    /// <summary>Removes the site's profile with <paramref name="profileId"/> (when a station leaves the site).</summary>
    public static ClearChargingProfileCommand Clear(int profileId) => new() { ChargingProfileId = profileId };

    /// <summary>The CALL for a station of <paramref name="version"/>; the site's profiles are always expressible, so a problem here is a bug.</summary>
    public static OcppCall Call(OperatorCommand command, OcppVersion version)
    {
        var translation = OcppCommandTranslator.Translate(command, version);
        return translation.IsExpressible
            ? translation.Calls.Single()
            : throw new InvalidOperationException($"a site profile could not be written for OCPP {version.Number()}: {translation.Problem}");
    }

    private static SetChargingProfileCommand Profile(int idBase, int stackLevel, int evseId, decimal amps, int? numberPhases, DateTimeOffset now,
        DateTimeOffset? validTo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(evseId, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(amps);
        return new SetChargingProfileCommand
        {
            EvseId = evseId,
            ChargingProfile = new ChargingProfile
            {
                Id = idBase + evseId,
                StackLevel = stackLevel,
                ChargingProfilePurpose = "TxDefaultProfile",
                ChargingProfileKind = "Absolute",
                ValidTo = validTo,
                ChargingSchedules =
                [
                    new ChargingSchedule
                    {
                        Id = 1,
                        // a second back, so a station whose clock runs a little behind applies it at once
                        StartSchedule = now.AddSeconds(-1),
                        ChargingRateUnit = "A",
                        ChargingSchedulePeriods = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = amps, NumberPhases = numberPhases }],
                    },
                ],
            },
        };
    }
}
