namespace Csms.Ocpp.Commands;

/// <summary>
/// A version-neutral operator request (remote start, reset, ...). Translate it with
/// <see cref="OcppCommandTranslator.Translate"/> once the station's OCPP version is known.
/// </summary>
public abstract record OperatorCommand
{
    // only this assembly's commands can be translated, so every kind of command is covered by its tests
    private protected OperatorCommand()
    {
    }

    /// <summary>Builds the CALLs; throws <see cref="CommandNotExpressibleException"/> when the version cannot express the request.</summary>
    internal abstract IReadOnlyList<OcppCall> ToCalls(OcppVersion version);
}
