using System.Text.Json.Serialization.Metadata;

namespace Csms.Ocpp.Messages;

/// <summary>
/// One OCPP action of one version: its wire name and the typed models of its messages.
/// For a 2.1 SEND message the request is the message itself and there is no response.
/// </summary>
public sealed record OcppActionInfo(
    string Action,
    OcppVersion Version,
    Type RequestType,
    JsonTypeInfo RequestTypeInfo,
    Type? ResponseType,
    JsonTypeInfo? ResponseTypeInfo)
{
    /// <summary>True for 2.1 SEND messages, which get no CALLRESULT.</summary>
    public bool IsSend => ResponseType is null;
}
