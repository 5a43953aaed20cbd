using System.Globalization;
using System.Text.Json;

namespace Csms.Ocpp.CodeGen;

/// <summary>The types and messages of one version, after naming and deduplication.</summary>
public sealed class VersionModel(OcppSchemaVersion version)
{
    public OcppSchemaVersion Version { get; } = version;

    /// <summary>Ordered by schema file name.</summary>
    public List<SchemaMessage> Messages { get; } = [];

    /// <summary>Root type per message type name.</summary>
    public Dictionary<string, ObjectModel> Roots { get; } = new(StringComparer.Ordinal);

    /// <summary>Every generated type, in registration order.</summary>
    public List<TypeModel> Types { get; } = [];

    /// <summary>Name clashes that were resolved by renaming; worth a look when schemas change.</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>Reads one version's schema files into a <see cref="VersionModel"/>.</summary>
public sealed class SchemaReader
{
    // OCPP 1.6 schemas nest objects and enums inline; these give them the names the 1.6 spec uses.
    // Keys are path suffixes: "RootType/property/property" (array levels add nothing).
    private static readonly (string Path, string Name)[] OneSixNames =
    [
        ("idTagInfo", "IdTagInfo"),
        ("idTagInfo/status", "AuthorizationStatus"),
        ("BootNotificationResponse/status", "RegistrationStatus"),
        ("CancelReservationResponse/status", "CancelReservationStatus"),
        ("ChangeAvailabilityRequest/type", "AvailabilityType"),
        ("ChangeAvailabilityResponse/status", "AvailabilityStatus"),
        ("ChangeConfigurationResponse/status", "ConfigurationStatus"),
        ("ClearCacheResponse/status", "ClearCacheStatus"),
        ("ClearChargingProfileResponse/status", "ClearChargingProfileStatus"),
        ("DataTransferResponse/status", "DataTransferStatus"),
        ("DiagnosticsStatusNotificationRequest/status", "DiagnosticsStatus"),
        ("FirmwareStatusNotificationRequest/status", "FirmwareStatus"),
        ("GetCompositeScheduleResponse/status", "GetCompositeScheduleStatus"),
        ("RemoteStartTransactionResponse/status", "RemoteStartStopStatus"),
        ("RemoteStopTransactionResponse/status", "RemoteStartStopStatus"),
        ("ReserveNowResponse/status", "ReservationStatus"),
        ("ResetRequest/type", "ResetType"),
        ("ResetResponse/status", "ResetStatus"),
        ("SendLocalListRequest/updateType", "UpdateType"),
        ("SendLocalListResponse/status", "UpdateStatus"),
        ("SetChargingProfileResponse/status", "ChargingProfileStatus"),
        ("StatusNotificationRequest/errorCode", "ChargePointErrorCode"),
        ("StatusNotificationRequest/status", "ChargePointStatus"),
        ("StopTransactionRequest/reason", "Reason"),
        ("TriggerMessageRequest/requestedMessage", "MessageTrigger"),
        ("TriggerMessageResponse/status", "TriggerMessageStatus"),
        ("UnlockConnectorResponse/status", "UnlockStatus"),
        ("chargingProfile", "ChargingProfile"),
        ("csChargingProfiles", "ChargingProfile"),
        ("chargingProfilePurpose", "ChargingProfilePurposeType"),
        ("chargingProfileKind", "ChargingProfileKindType"),
        ("recurrencyKind", "RecurrencyKindType"),
        ("chargingSchedule", "ChargingSchedule"),
        ("chargingSchedulePeriod", "ChargingSchedulePeriod"),
        ("chargingRateUnit", "ChargingRateUnitType"),
        ("configurationKey", "KeyValue"),
        ("localAuthorizationList", "AuthorizationData"),
        ("meterValue", "MeterValue"),
        ("transactionData", "MeterValue"),
        ("sampledValue", "SampledValue"),
        ("sampledValue/context", "ReadingContext"),
        ("sampledValue/format", "ValueFormat"),
        ("sampledValue/measurand", "Measurand"),
        ("sampledValue/phase", "Phase"),
        ("sampledValue/location", "Location"),
        ("sampledValue/unit", "UnitOfMeasure"),
    ];

    private readonly VersionModel _model;
    private readonly Dictionary<string, TypeModel> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeModel> _byShape = new(StringComparer.Ordinal);

    private SchemaReader(OcppSchemaVersion version) => _model = new VersionModel(version);

    public static VersionModel Read(OcppSchemaVersion version, string schemaDirectory)
    {
        var files = Directory.GetFiles(schemaDirectory, "*.json")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        var documents = files.ToDictionary(f => f, f => JsonDocument.Parse(File.ReadAllText(Path.Combine(schemaDirectory, f))), StringComparer.Ordinal);
        try
        {
            var reader = new SchemaReader(version);
            reader.ReadAll(files, documents);
            return reader._model;
        }
        finally
        {
            foreach (var document in documents.Values)
            {
                document.Dispose();
            }
        }
    }

    private void ReadAll(List<string> files, Dictionary<string, JsonDocument> documents)
    {
        var definitionNames = documents.Values
            .SelectMany(d => d.RootElement.TryGetProperty("definitions", out var defs) ? defs.EnumerateObject().Select(p => p.Name) : [])
            .ToHashSet(StringComparer.Ordinal);

        foreach (var file in files)
        {
            _model.Messages.Add(Classify(file, definitionNames));
        }
        CheckPairs();

        foreach (var message in _model.Messages)
        {
            var root = documents[message.SchemaFile].RootElement;
            var context = new FileContext(message.SchemaFile, root.TryGetProperty("definitions", out var defs) ? defs : default);
            var type = Resolve(root, context, message.TypeName, message.TypeName, explicitName: true, isRoot: true);
            _model.Roots.Add(message.TypeName, (ObjectModel)((NamedRef)type).Model);
        }
    }

    private SchemaMessage Classify(string file, HashSet<string> definitionNames)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        if (name.EndsWith("Response", StringComparison.Ordinal))
        {
            var action = name[..^"Response".Length];
            return new SchemaMessage(action, MessageKind.Response, file, action + "Response");
        }
        if (_model.Version.IsOneSix)
        {
            return new SchemaMessage(name, MessageKind.Request, file, name + "Request");
        }
        if (name.EndsWith("Request", StringComparison.Ordinal))
        {
            var action = name[..^"Request".Length];
            return new SchemaMessage(action, MessageKind.Request, file, name);
        }
        // 2.1 SEND message: the file name is the action
        var typeName = definitionNames.Contains(name) ? name + "Message" : name;
        return new SchemaMessage(name, MessageKind.Send, file, typeName);
    }

    private void CheckPairs()
    {
        var byAction = _model.Messages.GroupBy(m => m.Action, StringComparer.Ordinal);
        foreach (var group in byAction)
        {
            var kinds = group.Select(m => m.Kind).Order().ToList();
            var ok = kinds.SequenceEqual([MessageKind.Request, MessageKind.Response]) || kinds.SequenceEqual([MessageKind.Send]);
            if (!ok)
            {
                throw new InvalidOperationException($"OCPP {_model.Version.Number}: action {group.Key} has schemas [{string.Join(", ", group.Select(m => m.SchemaFile))}]; expected a request/response pair or one SEND message.");
            }
        }
    }

    private sealed class FileContext(string file, JsonElement definitions)
    {
        public string File { get; } = file;

        public JsonElement Definitions { get; } = definitions;

        public Dictionary<string, TypeRef> ResolvedDefinitions { get; } = new(StringComparer.Ordinal);
    }

    /// <param name="path">Schema path used for the 1.6 name map: "RootType/prop/prop".</param>
    /// <param name="candidateName">Name to use for an object or enum at this node.</param>
    /// <param name="explicitName">True when the name comes from the spec (definition, message, 1.6 map) rather than the fallback.</param>
    private TypeRef Resolve(JsonElement node, FileContext context, string path, string candidateName, bool explicitName, bool isRoot = false)
    {
        if (node.TryGetProperty("$ref", out var reference))
        {
            return ResolveDefinition(reference.GetString()!, context);
        }

        var description = node.TryGetProperty("description", out var d) ? d.GetString() : null;
        if (!isRoot && _model.Version.IsOneSix && OneSixName(path) is { } mapped)
        {
            candidateName = mapped;
            explicitName = true;
        }

        if (node.TryGetProperty("enum", out var enumValues))
        {
            var values = enumValues.EnumerateArray().Select(v => v.GetString()!).ToList();
            var shape = "enum(" + string.Join("|", values) + ")";
            return new NamedRef(Register(new EnumModel(candidateName, shape, description, values), explicitName, isRoot, context.File));
        }

        var type = node.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "string":
                return new PrimitiveRef(node.TryGetProperty("format", out var format) && format.GetString() == "date-time" ? "DateTimeOffset" : "string");
            case "integer":
                return new PrimitiveRef(FitsInt(node, "minimum") && FitsInt(node, "maximum") ? "int" : "long");
            case "number":
                return new PrimitiveRef("decimal");
            case "boolean":
                return new PrimitiveRef("bool");
            case "array":
                return new ArrayRef(Resolve(node.GetProperty("items"), context, path, candidateName, explicitName));
            case null:
                // no type at all (DataTransfer data): any JSON value
                return new PrimitiveRef("JsonElement");
            case "object":
                return new NamedRef(ResolveObject(node, context, path, candidateName, explicitName, isRoot, description));
            default:
                throw new InvalidOperationException($"{context.File}: unsupported schema type '{type}' at {path}.");
        }
    }

    private TypeModel ResolveObject(JsonElement node, FileContext context, string path, string candidateName, bool explicitName, bool isRoot, string? description)
    {
        var required = node.TryGetProperty("required", out var r)
            ? r.EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var properties = new List<PropertyModel>();
        if (node.TryGetProperty("properties", out var props))
        {
            foreach (var property in props.EnumerateObject())
            {
                var propertyType = Resolve(property.Value, context, path + "/" + property.Name, candidateName + Naming.Pascal(property.Name), explicitName: false);
                var propertyDescription = property.Value.TryGetProperty("description", out var pd) ? pd.GetString() : null;
                properties.Add(new PropertyModel(property.Name, propertyType, required.Contains(property.Name), propertyDescription));
            }
        }
        var allowsAdditional = !(node.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False);
        var shape = "object{" + string.Join(",", properties.Select(p => $"{p.JsonName}{(p.Required ? "!" : "?")}:{p.Type.Key}")) + (allowsAdditional ? ",*" : "") + "}";
        return Register(new ObjectModel(candidateName, shape, description, properties, allowsAdditional), explicitName, isRoot, context.File);
    }

    private TypeRef ResolveDefinition(string reference, FileContext context)
    {
        const string Prefix = "#/definitions/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{context.File}: unsupported $ref '{reference}'.");
        }
        var name = reference[Prefix.Length..];
        if (!context.ResolvedDefinitions.TryGetValue(name, out var resolved))
        {
            resolved = Resolve(context.Definitions.GetProperty(name), context, name, name, explicitName: true);
            context.ResolvedDefinitions.Add(name, resolved);
        }
        return resolved;
    }

    private TypeModel Register(TypeModel candidate, bool explicitName, bool isRoot, string file)
    {
        // a fallback-named type takes the name of an identical type that already exists
        if (!explicitName && _byShape.TryGetValue(candidate.ShapeKey, out var sameShape))
        {
            sameShape.SchemaFiles.Add(file);
            return sameShape;
        }

        var name = candidate.Name;
        for (var i = 2; ; i++)
        {
            if (!_byName.TryGetValue(name, out var existing))
            {
                break;
            }
            if (existing.ShapeKey == candidate.ShapeKey && !isRoot && !_model.Roots.ContainsKey(existing.Name))
            {
                existing.SchemaFiles.Add(file);
                return existing;
            }
            name = candidate.Name + i.ToString(CultureInfo.InvariantCulture);
        }
        if (name != candidate.Name)
        {
            _model.Notes.Add($"OCPP {_model.Version.Number}: {candidate.Name} in {file} differs from the one already seen; named it {name}.");
        }

        TypeModel model = candidate switch
        {
            EnumModel e => new EnumModel(name, e.ShapeKey, e.Description, e.Values),
            ObjectModel o => new ObjectModel(name, o.ShapeKey, o.Description, o.Properties, o.AllowsAdditionalProperties),
            _ => throw new InvalidOperationException("unknown model"),
        };
        model.SchemaFiles.Add(file);
        _byName.Add(name, model);
        _model.Types.Add(model);
        if (!isRoot)
        {
            _byShape.TryAdd(model.ShapeKey, model);
        }
        return model;
    }

    private static string? OneSixName(string path)
    {
        string? best = null;
        var bestLength = -1;
        foreach (var (pattern, name) in OneSixNames)
        {
            var matches = path == pattern || path.EndsWith("/" + pattern, StringComparison.Ordinal);
            if (matches && pattern.Length > bestLength)
            {
                best = name;
                bestLength = pattern.Length;
            }
        }
        return best;
    }

    private static bool FitsInt(JsonElement node, string keyword) =>
        !node.TryGetProperty(keyword, out var bound) || (bound.GetDecimal() >= int.MinValue && bound.GetDecimal() <= int.MaxValue);
}
