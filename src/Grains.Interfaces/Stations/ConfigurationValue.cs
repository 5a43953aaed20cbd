namespace Csms.Grains.Interfaces.Stations;

/// <summary>
/// One configuration value as last seen: a 1.6 key, or a 2.x variable written
/// <c>Component[evse=E,connector=C,instance=I].Variable[instance]</c>. <see cref="Source"/> says how we know it
/// (GetConfiguration, GetVariables, NotifyReport, ChangeConfiguration, SetVariables).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConfigurationValue(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Value,
    [property: Id(2)] bool? ReadOnly,
    [property: Id(3)] string Source,
    [property: Id(4)] DateTimeOffset UpdatedAt);
