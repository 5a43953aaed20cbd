namespace Csms.Ocpp.CodeGen;

public enum MessageKind
{
    Request,
    Response,
    /// <summary>2.1 SEND: fire-and-forget, no response.</summary>
    Send,
}

/// <summary>One schema file: which action it belongs to and which C# type models it.</summary>
public sealed record SchemaMessage(string Action, MessageKind Kind, string SchemaFile, string TypeName);

/// <summary>A generated C# type; <see cref="ShapeKey"/> identifies its structure for deduplication.</summary>
public abstract class TypeModel
{
    protected TypeModel(string name, string shapeKey, string? description)
    {
        Name = name;
        ShapeKey = shapeKey;
        Description = description;
    }

    public string Name { get; }

    public string ShapeKey { get; }

    public string? Description { get; }

    public SortedSet<string> SchemaFiles { get; } = new(StringComparer.Ordinal);
}

public sealed class EnumModel(string name, string shapeKey, string? description, IReadOnlyList<string> values)
    : TypeModel(name, shapeKey, description)
{
    public IReadOnlyList<string> Values { get; } = values;
}

public sealed class ObjectModel(string name, string shapeKey, string? description, IReadOnlyList<PropertyModel> properties, bool allowsAdditionalProperties)
    : TypeModel(name, shapeKey, description)
{
    public IReadOnlyList<PropertyModel> Properties { get; } = properties;

    /// <summary>True when the schema does not say additionalProperties: false (2.x CustomDataType).</summary>
    public bool AllowsAdditionalProperties { get; } = allowsAdditionalProperties;
}

public sealed record PropertyModel(string JsonName, TypeRef Type, bool Required, string? Description);

public abstract record TypeRef
{
    /// <summary>The C# type as written in a declaration, without nullability.</summary>
    public abstract string CSharp { get; }

    /// <summary>Structural identity of the reference, used inside shape keys.</summary>
    public abstract string Key { get; }
}

public sealed record PrimitiveRef(string Name) : TypeRef
{
    public override string CSharp => Name;

    public override string Key => Name;
}

public sealed record NamedRef(TypeModel Model) : TypeRef
{
    public override string CSharp => Model.Name;

    public override string Key => "#" + Model.Name;
}

public sealed record ArrayRef(TypeRef Item) : TypeRef
{
    public override string CSharp => $"IReadOnlyList<{Item.CSharp}>";

    public override string Key => $"[{Item.Key}]";
}
