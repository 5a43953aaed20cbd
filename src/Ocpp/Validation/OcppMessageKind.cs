namespace Csms.Ocpp.Validation;

/// <summary>Which payload of an action a schema describes.</summary>
public enum OcppMessageKind
{
    /// <summary>The CALL payload.</summary>
    Request,

    /// <summary>The CALLRESULT payload.</summary>
    Response,

    /// <summary>The SEND payload (OCPP 2.1 unconfirmed messages).</summary>
    Send,
}
