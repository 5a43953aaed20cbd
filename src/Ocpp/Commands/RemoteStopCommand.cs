using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Stop a transaction: 1.6 RemoteStopTransaction (integer id), 2.x RequestStopTransaction (string id).</summary>
public sealed record RemoteStopCommand : OperatorCommand
{
    /// <summary>The id the station gave the transaction; an integer on 1.6 stations, up to 36 characters on 2.x.</summary>
    public required string TransactionId { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (string.IsNullOrEmpty(TransactionId))
        {
            throw JsonPayload.Required("transactionId", "the id of the transaction to stop");
        }
        return version == OcppVersion.V16
            ? [new OcppCall("RemoteStopTransaction", new JsonObject { ["transactionId"] = ChargingProfile.TransactionId16(TransactionId, "transactionId") })]
            : [new OcppCall("RequestStopTransaction", new JsonObject { ["transactionId"] = TransactionId })];
    }
}
