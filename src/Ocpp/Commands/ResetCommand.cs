using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Reset the station (or, 2.x, one EVSE). Neutral <see cref="Type"/> values and what they become:
/// <list type="table">
/// <item><term>immediate</term><description>1.6 Soft, 2.x Immediate: stop transactions cleanly, then reboot.</description></item>
/// <item><term>onIdle</term><description>2.x OnIdle; not expressible in 1.6, which cannot wait for transactions to end.</description></item>
/// <item><term>soft</term><description>1.6 Soft, 2.x Immediate.</description></item>
/// <item><term>hard</term><description>1.6 Hard, 2.x Immediate (2.x has no reset that skips stopping transactions).</description></item>
/// <item><term>immediateAndResume</term><description>2.1 ImmediateAndResume only.</description></item>
/// </list>
/// 1.6 Soft "stops ongoing transactions gracefully", Hard is "a last resort" that need not (1.6 section 5.14); 2.x Immediate
/// terminates transactions and sends TransactionEvent(Ended) before the reboot (B12.FR.04), OnIdle waits for them (B12.FR.03).
/// </summary>
public sealed record ResetCommand : OperatorCommand
{
    /// <summary>"immediate", "onIdle", "soft", "hard" or "immediateAndResume" (case-insensitive).</summary>
    public required string Type { get; init; }

    /// <summary>2.x only: reset just this EVSE (B11.FR.08); 1.6 always resets the whole Charge Point.</summary>
    public int? EvseId { get; init; }

    private static readonly string[] Types = ["immediate", "onIdle", "soft", "hard", "immediateAndResume"];

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        var type = JsonPayload.Canonical(Type, Types)
            ?? throw new CommandNotExpressibleException(
                $"type '{Type}' is not a reset type; use immediate, onIdle, soft, hard or immediateAndResume.");
        if (version == OcppVersion.V16)
        {
            if (EvseId is not null)
            {
                throw new CommandNotExpressibleException(
                    "evseId cannot be expressed in OCPP 1.6 Reset, which always resets the whole Charge Point: omit evseId, "
                    + "or make the EVSE Inoperative with ChangeAvailability instead.");
            }
            var type16 = type switch
            {
                "hard" => "Hard",
                "soft" or "immediate" => "Soft",
                "onIdle" => throw new CommandNotExpressibleException(
                    "type onIdle cannot be expressed in OCPP 1.6, whose resets never wait for transactions to end: wait until the "
                    + "station is idle, or use soft, which stops transactions gracefully first."),
                _ => throw new CommandNotExpressibleException(
                    "type immediateAndResume is new in OCPP 2.1 and cannot be expressed in OCPP 1.6: use soft (transactions are stopped)."),
            };
            return [new OcppCall("Reset", new JsonObject { ["type"] = type16 })];
        }

        var type2x = type switch
        {
            "onIdle" => "OnIdle",
            "immediateAndResume" when version == OcppVersion.V21 => "ImmediateAndResume",
            "immediateAndResume" => throw new CommandNotExpressibleException(
                $"type immediateAndResume is new in OCPP 2.1 and cannot be expressed in OCPP {version.Number()}: use immediate "
                + "(transactions are stopped) or onIdle (the reset waits for them)."),
            _ => "Immediate",
        };
        if (EvseId < 0)
        {
            throw new CommandNotExpressibleException($"evseId must be 0 or more, not {EvseId}.");
        }
        return [new OcppCall("Reset", new JsonObject { ["type"] = type2x }.Put("evseId", EvseId))];
    }
}
