using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Csms.Ocpp.Framing;

namespace Csms.Ocpp.Validation;

/// <summary>
/// The schemas of every action per OCPP version, looked up by action name (case-sensitive) and message kind.
/// Each schema is compiled on first use and then cached; all members are thread-safe.
/// </summary>
public sealed class OcppSchemaSet
{
    private const string ResourcePrefix = "Csms.Ocpp.Schemas/";

    private static readonly Lazy<OcppSchemaSet> EmbeddedSet = new(LoadEmbedded);

    // indexed by [version][kind]
    private readonly FrozenDictionary<string, Entry>[][] _entries;
    private readonly FrozenSet<string>[] _actions;

    private OcppSchemaSet(IEnumerable<Entry> entries)
    {
        var versions = OcppVersions.All;
        var kinds = Enum.GetValues<OcppMessageKind>();
        var all = entries.ToList();
        _entries = new FrozenDictionary<string, Entry>[versions.Count][];
        _actions = new FrozenSet<string>[versions.Count];
        foreach (var version in versions)
        {
            _entries[(int)version] = [.. kinds.Select(kind => all
                .Where(e => e.Version == version && e.Kind == kind)
                .ToFrozenDictionary(e => e.Action, StringComparer.Ordinal))];
            _actions[(int)version] = all.Where(e => e.Version == version).Select(e => e.Action).ToFrozenSet(StringComparer.Ordinal);
        }
    }

    /// <summary>The official OCA schemas embedded in this assembly (1.6 incl. security extension, 2.0.1, 2.1).</summary>
    public static OcppSchemaSet Embedded => EmbeddedSet.Value;

    public bool Has(OcppVersion version, string action, OcppMessageKind kind) => Find(version, action, kind) is not null;

    /// <summary>Every action with at least one schema in this version, in ordinal order.</summary>
    public IEnumerable<string> Actions(OcppVersion version) => Index(version, _actions).Order(StringComparer.Ordinal);

    /// <summary>The schema file names of a version, in ordinal order.</summary>
    public IEnumerable<string> SchemaFiles(OcppVersion version) =>
        Index(version, _entries).SelectMany(byKind => byKind.Values).Select(e => e.FileName).Order(StringComparer.Ordinal);

    /// <summary>The compiled schema, loading it on first use; false when the version has no such message.</summary>
    public bool TryGetSchema(OcppVersion version, string action, OcppMessageKind kind, out OcppSchema schema)
    {
        var entry = Find(version, action, kind);
        schema = entry?.Schema!;
        return entry is not null;
    }

    /// <summary>Compiles every schema of a version now, e.g. at startup; throws if any cannot be compiled.</summary>
    public void Preload(OcppVersion version)
    {
        foreach (var byKind in Index(version, _entries))
        {
            foreach (var entry in byKind.Values)
            {
                _ = entry.Schema;
            }
        }
    }

    /// <summary>
    /// Validates a payload against the schema of the action. An action without a schema of that kind is
    /// reported as NotImplemented, matching what a CALL for an unknown action must be answered with.
    /// </summary>
    public SchemaValidationResult Validate(OcppVersion version, string action, OcppMessageKind kind, JsonElement payload) =>
        TryGetSchema(version, action, kind, out var schema)
            ? schema.Validate(payload)
            : SchemaValidationResult.Invalid(OcppErrorCode.NotImplemented, $"no {kind} schema for this action in OCPP {version.Number()}");

    private Entry? Find(OcppVersion version, string action, OcppMessageKind kind)
    {
        ArgumentNullException.ThrowIfNull(action);
        if ((uint)version >= (uint)_entries.Length || (uint)kind >= (uint)_entries[(int)version].Length)
        {
            return null;
        }
        return _entries[(int)version][(int)kind].GetValueOrDefault(action);
    }

    private static T Index<T>(OcppVersion version, T[] byVersion) =>
        (uint)version < (uint)byVersion.Length ? byVersion[(int)version] : throw new ArgumentOutOfRangeException(nameof(version));

    private static OcppSchemaSet LoadEmbedded()
    {
        var assembly = typeof(OcppSchemaSet).Assembly;
        var entries = new List<Entry>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // RecursiveDir uses the build host's separator; normalise so Windows-built assemblies load too
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }
            var relative = name[ResourcePrefix.Length..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !OcppVersions.TryParse(relative[..slash], out var version))
            {
                continue;
            }
            var fileName = relative[(slash + 1)..];
            var (action, kind) = Classify(version, Path.GetFileNameWithoutExtension(fileName));
            entries.Add(new Entry(version, action, kind, fileName, () => Read(assembly, resource)));
        }
        return new OcppSchemaSet(entries);
    }

    /// <summary>1.6 names the request after the action; 2.x suffixes it with Request; a 2.x name without suffix is a SEND.</summary>
    private static (string Action, OcppMessageKind Kind) Classify(OcppVersion version, string stem)
    {
        if (stem.EndsWith("Response", StringComparison.Ordinal))
        {
            return (stem[..^"Response".Length], OcppMessageKind.Response);
        }
        if (version.IsTwoX())
        {
            return stem.EndsWith("Request", StringComparison.Ordinal)
                ? (stem[..^"Request".Length], OcppMessageKind.Request)
                : (stem, OcppMessageKind.Send);
        }
        return (stem, OcppMessageKind.Request);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"OCPP schema resource {resource} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private sealed class Entry(OcppVersion version, string action, OcppMessageKind kind, string fileName, Func<byte[]> read)
    {
        // ExecutionAndPublication: compiled exactly once even under concurrent first use
        private readonly Lazy<OcppSchema> _schema = new(() => OcppSchema.Parse(fileName, read()));

        public OcppVersion Version { get; } = version;

        public string Action { get; } = action;

        public OcppMessageKind Kind { get; } = kind;

        public string FileName { get; } = fileName;

        public OcppSchema Schema => _schema.Value;
    }
}
