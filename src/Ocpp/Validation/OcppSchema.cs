using System.Text.Json;

namespace Csms.Ocpp.Validation;

/// <summary>
/// One compiled OCPP JSON schema. Immutable and thread-safe; validating walks the compiled tree and
/// allocates only when the payload is invalid.
/// </summary>
public sealed class OcppSchema
{
    private readonly SchemaNode _root;

    private OcppSchema(string fileName, SchemaNode root)
    {
        FileName = fileName;
        _root = root;
    }

    /// <summary>The schema file it was compiled from, e.g. <c>BootNotificationRequest.json</c>.</summary>
    public string FileName { get; }

    /// <summary>
    /// Compiles a schema document. Throws <see cref="InvalidDataException"/> naming <paramref name="fileName"/>
    /// for malformed JSON or any keyword the validator does not implement.
    /// </summary>
    public static OcppSchema Parse(string fileName, ReadOnlyMemory<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var span = utf8Json.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            return new OcppSchema(fileName, SchemaCompiler.Compile(fileName, document.RootElement));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"OCPP schema {fileName}: not valid JSON", e);
        }
    }

    /// <summary>Validates a payload; the result carries the OCPP-J error code for the first violation found.</summary>
    public SchemaValidationResult Validate(JsonElement payload) => SchemaWalker.Validate(_root, payload);
}
