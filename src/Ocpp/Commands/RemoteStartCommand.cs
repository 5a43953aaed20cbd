using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Start a transaction for an identifier: 1.6 RemoteStartTransaction, 2.x RequestStartTransaction.</summary>
public sealed record RemoteStartCommand : OperatorCommand
{
    /// <summary>The identifier to start with; a 1.6 idTag holds at most 20 characters.</summary>
    public required string IdToken { get; init; }

    /// <summary>2.x idToken type; "ISO14443" when omitted. Not sent to 1.6 stations, whose idTags have no type.</summary>
    public string? IdTokenType { get; init; }

    /// <summary>The EVSE to start on (the 1.6 connectorId); the station picks one when omitted.</summary>
    public int? EvseId { get; init; }

    /// <summary>For 1.6 stations only: the 1.6 connector number, when <see cref="EvseId"/> is not given.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>2.x only: the group the identifier belongs to.</summary>
    public string? GroupIdToken { get; init; }

    public string? GroupIdTokenType { get; init; }

    /// <summary>
    /// 2.x: the id the station echoes in TransactionEvent. When omitted it is derived from the identifier and EVSE, so a
    /// retried start gets the same id; give one (e.g. <see cref="OcppRequestIds.FromKey"/> of your command id) to tell starts apart.
    /// </summary>
    public int? RemoteStartId { get; init; }

    /// <summary>A TxProfile for the transaction, without transactionId (1.6 section 5.16.2, 2.x F01.FR.09/F01.FR.11).</summary>
    public ChargingProfile? ChargingProfile { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (ChargingProfile is { } profile)
        {
            var purpose = ChargingProfile.NeutralPurpose(profile.ChargingProfilePurpose, version, "chargingProfile.chargingProfilePurpose");
            if (purpose != ChargingProfile.TxProfile)
            {
                throw new CommandNotExpressibleException(
                    $"chargingProfile.chargingProfilePurpose must be TxProfile for a remote start (1.6 section 5.16.2, 2.x F01.FR.09); "
                    + "set other profiles with SetChargingProfile.");
            }
            if (profile.TransactionId is not null)
            {
                throw new CommandNotExpressibleException(
                    "chargingProfile.transactionId must be omitted for a remote start, the transaction does not exist yet "
                    + "(1.6 section 5.16.2, 2.x F01.FR.11).");
            }
        }

        if (version == OcppVersion.V16)
        {
            if (GroupIdToken is not null)
            {
                throw new CommandNotExpressibleException(
                    "groupIdToken cannot be expressed in OCPP 1.6 RemoteStartTransaction: the station learns the parent idTag from its "
                    + "authorization (local list or Authorize). Omit groupIdToken.");
            }
            var connectorId = StationAddress.Connector16(EvseId, ConnectorId);
            if (connectorId == 0)
            {
                throw new CommandNotExpressibleException(
                    "evseId must be greater than 0 for OCPP 1.6 RemoteStartTransaction (connectorId SHALL be > 0, 1.6 section 6.33); "
                    + "omit it to let the station choose.");
            }
            return [new OcppCall("RemoteStartTransaction", new JsonObject()
                .Put("connectorId", connectorId)
                .Put("idTag", IdTokens.IdTag(IdToken, "idToken"))
                .Put("chargingProfile", ChargingProfile?.ToJson(version, "chargingProfile")))];
        }

        var evseId = StationAddress.EvseOnly(EvseId, ConnectorId, version, "RequestStartTransaction");
        if (evseId == 0)
        {
            throw new CommandNotExpressibleException(
                $"evseId must be greater than 0 for {version.In("RequestStartTransaction")}: EVSE 0 is the whole station. Omit it to let the station choose.");
        }
        var idToken = IdTokens.IdToken(IdToken, IdTokenType, version, "idToken");
        var payload = new JsonObject()
            .Put("evseId", evseId)
            .Put("groupIdToken", GroupIdToken is null ? null : IdTokens.IdToken(GroupIdToken, GroupIdTokenType, version, "groupIdToken"))
            .Put("idToken", idToken)
            .Put("remoteStartId", RemoteStartId ?? OcppRequestIds.FromParts("RequestStartTransaction", IdToken, idToken["type"]?.GetValue<string>(), evseId))
            .Put("chargingProfile", ChargingProfile?.ToJson(version, "chargingProfile"));
        return [new OcppCall("RequestStartTransaction", payload)];
    }
}
