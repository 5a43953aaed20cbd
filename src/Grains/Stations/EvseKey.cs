using System.Globalization;

namespace Csms.Grains.Stations;

/// <summary>EVSE grain keys: <c>{station}/{evseId}</c>. Station identities never contain '/', so the last '/' splits.</summary>
public readonly record struct EvseKey(string StationId, int EvseId)
{
    public override string ToString() => $"{StationId}/{EvseId.ToString(CultureInfo.InvariantCulture)}";

    public static EvseKey Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return new EvseKey(key[..slash], int.Parse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }
}
