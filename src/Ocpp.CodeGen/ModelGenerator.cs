using System.Globalization;
using System.Security;
using System.Text;

namespace Csms.Ocpp.CodeGen;

/// <summary>
/// Generates the typed OCPP message models, one JSON context and one action table per version, from the
/// schemas under src/Ocpp/Schemas. Output is a pure function of the schema files, so a test can compare
/// it with what is committed.
/// </summary>
public static class ModelGenerator
{
    /// <summary>Relative to the repository root, with forward slashes.</summary>
    public const string OutputDirectory = "src/Ocpp/Messages/Generated";

    public const string SchemaDirectory = "src/Ocpp/Schemas";

    private const string Regenerate = "dotnet run --project src/Ocpp.CodeGen -- <repo root>";

    /// <summary>Reads every version's schemas; the models are what the files are generated from.</summary>
    public static IReadOnlyList<VersionModel> ReadModels(string repoRoot) =>
        [.. OcppSchemaVersion.All.Select(v => SchemaReader.Read(v, Path.Combine(repoRoot, SchemaDirectory, v.SchemaFolder)))];

    /// <summary>File path (relative to the repo root, forward slashes) → content, ordered by path.</summary>
    public static SortedDictionary<string, string> Generate(string repoRoot)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in ReadModels(repoRoot))
        {
            foreach (var (name, content) in GenerateVersion(model))
            {
                files.Add($"{OutputDirectory}/{model.Version.Id}/{name}", content);
            }
        }
        return files;
    }

    /// <summary>Writes changed files and deletes stale generated ones; returns how many files it touched.</summary>
    public static int WriteTo(string repoRoot, IReadOnlyDictionary<string, string> files)
    {
        var touched = 0;
        foreach (var version in OcppSchemaVersion.All)
        {
            var directory = Path.Combine(repoRoot, OutputDirectory, version.Id);
            if (!Directory.Exists(directory))
            {
                continue;
            }
            foreach (var existing in Directory.GetFiles(directory, "*.g.cs"))
            {
                var relative = Path.GetRelativePath(repoRoot, existing).Replace('\\', '/');
                if (!files.ContainsKey(relative))
                {
                    File.Delete(existing);
                    touched++;
                }
            }
        }
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(repoRoot, relative);
            if (File.Exists(path) && File.ReadAllText(path) == content)
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            touched++;
        }
        return touched;
    }

    /// <summary>File name → content for one version.</summary>
    public static SortedDictionary<string, string> GenerateVersion(VersionModel model)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // a type reached from exactly one message lives in that message's file; shared types get their own
        var users = model.Types.ToDictionary(t => t, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var (rootName, root) in model.Roots)
        {
            foreach (var type in Reachable(root))
            {
                users[type].Add(rootName);
            }
        }

        foreach (var message in model.Messages)
        {
            var root = model.Roots[message.TypeName];
            var nested = model.Types
                .Where(t => t != root && !model.Roots.ContainsKey(t.Name) && users[t].Count == 1 && users[t].Min == message.TypeName)
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
            var sources = new SortedSet<string>(root.SchemaFiles.Concat(nested.SelectMany(t => t.SchemaFiles)), StringComparer.Ordinal);
            files.Add(message.TypeName + ".g.cs", TypesFile(model, sources, [root, .. nested]));
        }
        foreach (var shared in model.Types.Where(t => !model.Roots.ContainsKey(t.Name) && users[t].Count != 1))
        {
            files.Add(shared.Name + ".g.cs", TypesFile(model, shared.SchemaFiles, [shared]));
        }

        files.Add(model.Version.ContextName + ".g.cs", ContextFile(model));
        files.Add(model.Version.ActionsClassName + ".g.cs", ActionsFile(model));
        return files;
    }

    private static IEnumerable<TypeModel> Reachable(TypeModel start)
    {
        var seen = new HashSet<TypeModel>();
        var stack = new Stack<TypeModel>([start]);
        while (stack.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }
            yield return type;
            if (type is ObjectModel o)
            {
                foreach (var property in o.Properties)
                {
                    var reference = property.Type;
                    while (reference is ArrayRef array)
                    {
                        reference = array.Item;
                    }
                    if (reference is NamedRef named)
                    {
                        stack.Push(named.Model);
                    }
                }
            }
        }
    }

    private static void Header(StringBuilder sb, VersionModel model, IEnumerable<string> schemaFiles)
    {
        sb.Append("// <auto-generated/>\n");
        sb.Append($"// Generated by Csms.Ocpp.CodeGen (src/Ocpp.CodeGen) from the OCPP {model.Version.Number} JSON schemas in {SchemaDirectory}/{model.Version.SchemaFolder}:\n");
        var files = schemaFiles.ToList();
        if (files.Count == model.Messages.Count)
        {
            files = [$"(all {files.Count} schema files)"];
        }
        var line = new StringBuilder("//  ");
        foreach (var file in files)
        {
            if (line.Length + file.Length > 110)
            {
                sb.Append(line).Append('\n');
                line.Clear().Append("//  ");
            }
            line.Append(' ').Append(file);
        }
        sb.Append(line).Append('\n');
        sb.Append($"// Do not edit by hand; regenerate with: {Regenerate}\n");
        sb.Append("#nullable enable\n");
        sb.Append("#pragma warning disable CS1591 // the schema descriptions are copied where the spec has them; not every member has one\n");
        sb.Append('\n');
        sb.Append("using System.Text.Json;\n");
        sb.Append("using System.Text.Json.Serialization;\n");
        sb.Append('\n');
        sb.Append($"namespace {model.Version.Namespace};\n");
    }

    private static string TypesFile(VersionModel model, IEnumerable<string> schemaFiles, IReadOnlyList<TypeModel> types)
    {
        var sb = new StringBuilder();
        Header(sb, model, schemaFiles);
        foreach (var type in types)
        {
            sb.Append('\n');
            switch (type)
            {
                case EnumModel e:
                    EmitEnum(sb, e);
                    break;
                case ObjectModel o:
                    EmitRecord(sb, o);
                    break;
            }
        }
        return sb.ToString();
    }

    private static void EmitEnum(StringBuilder sb, EnumModel model)
    {
        Summary(sb, model.Description, "");
        sb.Append($"[JsonConverter(typeof(JsonStringEnumConverter<{model.Name}>))]\n");
        sb.Append($"public enum {model.Name}\n{{\n");
        var names = Naming.Unique(model.Values.Select(Naming.Pascal));
        for (var i = 0; i < model.Values.Count; i++)
        {
            sb.Append($"    [JsonStringEnumMemberName({Literal(model.Values[i])})]\n");
            sb.Append($"    {names[i]},\n");
        }
        sb.Append("}\n");
    }

    /// <summary>C# property names for an object's schema properties, in schema order.</summary>
    public static IReadOnlyList<string> PropertyNames(ObjectModel model)
    {
        // a member may not share its enclosing type's name (CS0542)
        var wanted = model.Properties.Select(p => Naming.Pascal(p.JsonName)).Select(n => n == model.Name ? n + "Value" : n);
        return Naming.Unique(wanted, model.AllowsAdditionalProperties ? [ExtensionDataProperty] : []);
    }

    /// <summary>The [JsonExtensionData] member of objects that allow additional properties.</summary>
    public const string ExtensionDataProperty = "AdditionalProperties";

    private static void EmitRecord(StringBuilder sb, ObjectModel model)
    {
        Summary(sb, model.Description, "");
        sb.Append($"public sealed record {model.Name}\n{{\n");
        var names = PropertyNames(model);
        for (var i = 0; i < model.Properties.Count; i++)
        {
            var property = model.Properties[i];
            if (i > 0)
            {
                sb.Append('\n');
            }
            Summary(sb, property.Description, "    ");
            sb.Append($"    [JsonPropertyName({Literal(property.JsonName)})]\n");
            sb.Append(property.Required
                ? $"    public required {property.Type.CSharp} {names[i]} {{ get; init; }}\n"
                : $"    public {property.Type.CSharp}? {names[i]} {{ get; init; }}\n");
        }
        if (model.AllowsAdditionalProperties)
        {
            if (model.Properties.Count > 0)
            {
                sb.Append('\n');
            }
            // settable, not init: System.Text.Json cannot fill extension data through the init-only path
            sb.Append("    /// <summary>Properties the schema does not name; it allows arbitrary ones here.</summary>\n");
            sb.Append("    [JsonExtensionData]\n");
            sb.Append($"    public Dictionary<string, JsonElement>? {ExtensionDataProperty} {{ get; set; }}\n");
        }
        sb.Append("}\n");
    }

    private static string ContextFile(VersionModel model)
    {
        var sb = new StringBuilder();
        Header(sb, model, model.Messages.Select(m => m.SchemaFile));
        sb.Append('\n');
        sb.Append($"/// <summary>Source-generated System.Text.Json metadata for every OCPP {model.Version.Number} message; null optional fields are left out, as OCPP-J requires.</summary>\n");
        sb.Append("[JsonSourceGenerationOptions(\n");
        sb.Append("    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,\n");
        sb.Append("    Converters = [typeof(global::Csms.Ocpp.Messages.OcppDateTimeOffsetConverter)])]\n");
        foreach (var message in model.Messages)
        {
            sb.Append($"[JsonSerializable(typeof({message.TypeName}))]\n");
        }
        sb.Append($"public sealed partial class {model.Version.ContextName} : JsonSerializerContext\n{{\n}}\n");
        return sb.ToString();
    }

    private static string ActionsFile(VersionModel model)
    {
        var sb = new StringBuilder();
        Header(sb, model, model.Messages.Select(m => m.SchemaFile));
        var context = model.Version.ContextName;
        sb.Append('\n');
        sb.Append($"/// <summary>Every OCPP {model.Version.Number} action with its message types, ordered by name.</summary>\n");
        sb.Append($"internal static class {model.Version.ActionsClassName}\n{{\n");
        sb.Append("    internal static global::Csms.Ocpp.Messages.OcppActionInfo[] Create() =>\n    [\n");
        foreach (var action in model.Messages.GroupBy(m => m.Action, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var request = action.Single(m => m.Kind != MessageKind.Response);
            var response = action.SingleOrDefault(m => m.Kind == MessageKind.Response);
            var responseArgs = response is null
                ? "null, null"
                : $"typeof({response.TypeName}), {context}.Default.{response.TypeName}";
            sb.Append($"        new({Literal(action.Key)}, global::Csms.Ocpp.OcppVersion.{model.Version.Id}, typeof({request.TypeName}), {context}.Default.{request.TypeName}, {responseArgs}),\n");
        }
        sb.Append("    ];\n}\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, string? description, string indent)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return;
        }
        var lines = description.Split('\n')
            .Select(l => SecurityElement.Escape(l.Trim()))
            .Where(l => l.Length > 0)
            .ToList();
        sb.Append(indent).Append("/// <summary>\n");
        foreach (var line in lines)
        {
            sb.Append(indent).Append("/// ").Append(line).Append('\n');
        }
        sb.Append(indent).Append("/// </summary>\n");
    }

    private static string Literal(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
