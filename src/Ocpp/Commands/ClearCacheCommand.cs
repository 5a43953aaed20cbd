using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Clear the station's authorization cache: ClearCache in every version.</summary>
public sealed record ClearCacheCommand : OperatorCommand
{
    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version) => [new OcppCall("ClearCache", [])];
}
