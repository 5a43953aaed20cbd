namespace Csms.Ocpp.Commands;

/// <summary>One value to set: a 1.6 key or a 2.x variable (<see cref="DeviceModelVariable"/> syntax), and its new value as text.</summary>
public sealed record ConfigurationSetting
{
    public required string Name { get; init; }

    public required string Value { get; init; }
}
