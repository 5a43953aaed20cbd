namespace Csms.Ocpp.Framing;

/// <summary>Message Type Numbers of OCPP-J (2.1 Part 4 section 4.1.3).</summary>
public enum OcppMessageType
{
    Call = 2,
    CallResult = 3,
    CallError = 4,
    /// <summary>2.1 only: an error answer to a CALLRESULT.</summary>
    CallResultError = 5,
    /// <summary>2.1 only: an unconfirmed message, never answered.</summary>
    Send = 6,
}
