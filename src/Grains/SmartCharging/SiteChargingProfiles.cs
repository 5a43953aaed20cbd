using Csms.Ocpp;
using Csms.Ocpp.Commands;

namespace Csms.Grains.SmartCharging;

/// <summary>
/// The charging profile that carries a site's allocation to one EVSE: a TxDefaultProfile on that EVSE (it applies to
/// whatever session runs there, now and next, so no transaction id is needed and a new session starts within the
/// limit), one period from now on, in amperes per phase. Each EVSE has one such profile, always with the same id and
/// stack level, so a new allocation replaces the previous one (1.6 section 3.13.2, 2.x K01.FR.05).
/// </summary>
public static class SiteChargingProfiles
{
    /// <summary>Above the stack levels stations ship with, below what an operator would use to override by hand.</summary>
    public const int StackLevel = 50;

    /// <summary>Profile ids 9_000_000 + EVSE id: one per EVSE, unlikely to collide with an operator's own.</summary>
    public const int IdBase = 9_000_000;

    public static SetChargingProfileCommand Limit(int evseId, decimal amps, int? numberPhases, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(evseId, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(amps);
        return new SetChargingProfileCommand
        {
            EvseId = evseId,
            ChargingProfile = new ChargingProfile
            {
                Id = IdBase + evseId,
                StackLevel = StackLevel,
                ChargingProfilePurpose = "TxDefaultProfile",
                ChargingProfileKind = "Absolute",
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

    /// <summary>The CALL for a station of <paramref name="version"/>; a limit is always expressible, so a problem here is a bug.</summary>
    public static OcppCall Call(SetChargingProfileCommand command, OcppVersion version)
    {
        var translation = OcppCommandTranslator.Translate(command, version);
        return translation.IsExpressible
            ? translation.Calls.Single()
            : throw new InvalidOperationException($"a site limit could not be written for OCPP {version.Number()}: {translation.Problem}");
    }
}
