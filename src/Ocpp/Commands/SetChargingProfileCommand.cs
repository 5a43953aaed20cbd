using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Install a charging profile: SetChargingProfile in every version (1.6 connectorId + csChargingProfiles,
/// 2.x evseId + chargingProfile).
/// </summary>
public sealed record SetChargingProfileCommand : OperatorCommand
{
    /// <summary>The EVSE (the 1.6 connectorId); omitted or 0 means the whole station.</summary>
    public int? EvseId { get; init; }

    /// <summary>1.6 only: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    public required ChargingProfile ChargingProfile { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (ChargingProfile is null)
        {
            throw JsonPayload.Required("chargingProfile", "the profile to install");
        }
        var target = version == OcppVersion.V16
            ? StationAddress.Connector16(EvseId, ConnectorId) ?? 0
            : StationAddress.EvseOnly(EvseId, ConnectorId, version, "SetChargingProfile") ?? 0;
        var purpose = ChargingProfile.NeutralPurpose(ChargingProfile.ChargingProfilePurpose, version, "chargingProfile.chargingProfilePurpose");
        switch (purpose)
        {
            case ChargingProfile.MaxProfile when target != 0:
                // 1.6 section 3.13.1, 2.x K04.FR.03
                throw new CommandNotExpressibleException(
                    $"evseId must be 0 or omitted for a {ChargingProfile.WirePurpose(purpose, version)}, which limits the whole station "
                    + "(1.6 section 3.13.1, 2.x K04.FR.03): use TxDefaultProfile to limit one EVSE.");
            case ChargingProfile.TxProfile when target == 0:
                // 1.6 section 3.13.1, 2.x K01.FR.16
                throw new CommandNotExpressibleException(
                    "evseId is required for a TxProfile, which applies to the transaction on one EVSE (1.6 section 3.13.1, 2.x K01.FR.16).");
            case ChargingProfile.TxProfile when version != OcppVersion.V16 && ChargingProfile.TransactionId is null:
                throw JsonPayload.Required(
                    "chargingProfile.transactionId", $"OCPP {version.Number()} needs the transaction a TxProfile applies to (K01.FR.03)");
            case not ChargingProfile.TxProfile when ChargingProfile.TransactionId is not null:
                throw new CommandNotExpressibleException(
                    "chargingProfile.transactionId is only valid for a TxProfile (1.6 section 7.8): omit it or use purpose TxProfile.");
        }

        var profile = ChargingProfile.ToJson(version, "chargingProfile");
        return version == OcppVersion.V16
            ? [new OcppCall("SetChargingProfile", new JsonObject { ["connectorId"] = target, ["csChargingProfiles"] = profile })]
            : [new OcppCall("SetChargingProfile", new JsonObject { ["evseId"] = target, ["chargingProfile"] = profile })];
    }
}
