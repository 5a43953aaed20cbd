namespace Csms.Ocpp.CodeGen;

/// <summary>Where one OCPP version's schemas live and where its models go.</summary>
public sealed record OcppSchemaVersion(string Id, string Number, string SchemaFolder, bool IsOneSix)
{
    public static readonly IReadOnlyList<OcppSchemaVersion> All =
    [
        new("V16", "1.6", "1.6", IsOneSix: true),
        new("V201", "2.0.1", "2.0.1", IsOneSix: false),
        new("V21", "2.1", "2.1", IsOneSix: false),
    ];

    public string Namespace => "Csms.Ocpp.Messages." + Id;

    public string ContextName => Id + "JsonContext";

    public string ActionsClassName => Id + "Actions";
}
