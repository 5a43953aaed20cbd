using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>One CALL to send to a station: the action name and its request payload, valid for the station's OCPP version.</summary>
public sealed record OcppCall(string Action, JsonObject Payload);
