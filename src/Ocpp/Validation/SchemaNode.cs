namespace Csms.Ocpp.Validation;

[Flags]
internal enum JsonTypes
{
    None = 0,
    Object = 1,
    Array = 2,
    String = 4,
    Integer = 8,
    Number = 16,
    Boolean = 32,
    Null = 64,
}

internal enum StringFormat
{
    None,
    DateTime,
    Uri,
}

/// <summary>One property slot of an object schema; <see cref="Schema"/> is null for a required-only name.</summary>
internal sealed record SchemaProperty(string Name, SchemaNode? Schema, bool Required);

/// <summary>
/// A compiled schema node. Immutable once built; $ref targets are shared instances, so a tree is a DAG.
/// Absent keywords are null / None / empty so the validator can skip them cheaply.
/// </summary>
internal sealed class SchemaNode
{
    /// <summary>None means the schema did not restrict the type.</summary>
    public JsonTypes Types { get; init; }

    public SchemaProperty[] Properties { get; init; } = [];

    public bool AdditionalPropertiesAllowed { get; init; } = true;

    public string[]? Enum { get; init; }

    public int? MaxLength { get; init; }

    public decimal? Minimum { get; init; }

    public decimal? Maximum { get; init; }

    public decimal? MultipleOf { get; init; }

    public StringFormat Format { get; init; }

    public SchemaNode? Items { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }
}
