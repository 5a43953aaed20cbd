using System.Diagnostics.CodeAnalysis;
using Csms.Ocpp.Messages.V16;
using Csms.Ocpp.Messages.V201;
using Csms.Ocpp.Messages.V21;

namespace Csms.Ocpp.Messages;

/// <summary>The actions of one OCPP version, looked up by their exact (case-sensitive) name.</summary>
public sealed class OcppActionSet
{
    private readonly Dictionary<string, OcppActionInfo> _byName;

    internal OcppActionSet(OcppVersion version, OcppActionInfo[] actions)
    {
        Version = version;
        All = Array.AsReadOnly(actions);
        _byName = actions.ToDictionary(a => a.Action, StringComparer.Ordinal);
    }

    public OcppVersion Version { get; }

    /// <summary>Ordered by action name.</summary>
    public IReadOnlyList<OcppActionInfo> All { get; }

    public bool TryGet(string action, [MaybeNullWhen(false)] out OcppActionInfo info) => _byName.TryGetValue(action, out info);
}

/// <summary>Which actions each OCPP version has, and how to (de)serialize their messages.</summary>
public static class OcppActionCatalog
{
    private static readonly Lazy<OcppActionSet> V16Set = new(() => new OcppActionSet(OcppVersion.V16, V16Actions.Create()));
    private static readonly Lazy<OcppActionSet> V201Set = new(() => new OcppActionSet(OcppVersion.V201, V201Actions.Create()));
    private static readonly Lazy<OcppActionSet> V21Set = new(() => new OcppActionSet(OcppVersion.V21, V21Actions.Create()));

    public static OcppActionSet For(OcppVersion version) => version switch
    {
        OcppVersion.V16 => V16Set.Value,
        OcppVersion.V201 => V201Set.Value,
        OcppVersion.V21 => V21Set.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };
}
