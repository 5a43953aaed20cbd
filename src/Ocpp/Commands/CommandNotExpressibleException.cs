namespace Csms.Ocpp.Commands;

/// <summary>
/// Raised by the payload builders, however deep the offending field; <see cref="OcppCommandTranslator"/> turns it
/// into <see cref="CommandTranslation.NotExpressible"/>, so it never escapes the translator.
/// </summary>
internal sealed class CommandNotExpressibleException(string problem) : Exception(problem);
