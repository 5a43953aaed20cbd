using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Remove charging profiles by id or by criteria (all criteria must match): 1.6 ClearChargingProfile
/// (id, connectorId, chargingProfilePurpose, stackLevel), 2.x ClearChargingProfile (chargingProfileId,
/// chargingProfileCriteria{evseId, chargingProfilePurpose, stackLevel}).
/// </summary>
public sealed record ClearChargingProfileCommand : OperatorCommand
{
    public int? ChargingProfileId { get; init; }

    /// <summary>The EVSE (the 1.6 connectorId); 0 is the whole station.</summary>
    public int? EvseId { get; init; }

    /// <summary>1.6 only: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>"ChargingStationMaxProfile" (1.6: "ChargePointMaxProfile"), "TxDefaultProfile", "TxProfile"; 2.1 adds "PriorityCharging", "LocalGeneration".</summary>
    public string? ChargingProfilePurpose { get; init; }

    public int? StackLevel { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        var purpose = ChargingProfilePurpose is null
            ? null
            : ChargingProfile.WirePurpose(ChargingProfile.NeutralPurpose(ChargingProfilePurpose, version, "chargingProfilePurpose"), version);
        if (StackLevel < 0)
        {
            throw new CommandNotExpressibleException($"stackLevel must be 0 or more, not {StackLevel}.");
        }
        if (version == OcppVersion.V16)
        {
            // all fields optional: an empty request clears every profile (1.6 section 5.5)
            return [new OcppCall("ClearChargingProfile", new JsonObject()
                .Put("id", ChargingProfileId)
                .Put("connectorId", StationAddress.Connector16(EvseId, ConnectorId))
                .Put("chargingProfilePurpose", purpose)
                .Put("stackLevel", StackLevel))];
        }

        var evseId = StationAddress.EvseOnly(EvseId, ConnectorId, version, "ClearChargingProfile");
        var hasCriteria = evseId is not null || purpose is not null || StackLevel is not null;
        if (ChargingProfileId is null && !hasCriteria)
        {
            throw new CommandNotExpressibleException(
                $"chargingProfileId or at least one of evseId, chargingProfilePurpose, stackLevel is required by OCPP {version.Number()} "
                + "(K10.FR.02): to clear everything, clear each purpose in turn.");
        }
        return [new OcppCall("ClearChargingProfile", new JsonObject()
            .Put("chargingProfileId", ChargingProfileId)
            .Put("chargingProfileCriteria", hasCriteria
                ? new JsonObject().Put("evseId", evseId).Put("chargingProfilePurpose", purpose).Put("stackLevel", StackLevel)
                : null))];
    }
}
