using System.Diagnostics.CodeAnalysis;

namespace Csms.Ocpp.Commands;

/// <summary>
/// The outcome of translating an operator command for one OCPP version: the CALLs to send, in order, or a
/// problem saying why the command cannot be expressed in that version and what to do instead.
/// </summary>
public sealed class CommandTranslation
{
    private CommandTranslation(IReadOnlyList<OcppCall> calls, string? problem)
    {
        Calls = calls;
        Problem = problem;
    }

    /// <summary>Usually one CALL; 1.6 ChangeConfiguration takes one key per CALL, so setting several keys gives several.</summary>
    public IReadOnlyList<OcppCall> Calls { get; }

    /// <summary>Why the command cannot be sent to a station of this version, naming the request field and the fix.</summary>
    public string? Problem { get; }

    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsExpressible => Problem is null;

    public static CommandTranslation Of(IReadOnlyList<OcppCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            throw new ArgumentException("a translation has at least one CALL", nameof(calls));
        }
        return new CommandTranslation(calls, null);
    }

    public static CommandTranslation Of(OcppCall call) => Of([call]);

    public static CommandTranslation NotExpressible(string problem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(problem);
        return new CommandTranslation([], problem);
    }
}
