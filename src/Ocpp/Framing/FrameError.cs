namespace Csms.Ocpp.Framing;

/// <summary>How to answer a frame that could not be read.</summary>
public enum FrameErrorReply
{
    /// <summary>Answer with CALLERROR (the frame was, or may have been, a CALL).</summary>
    CallError,
    /// <summary>Answer with CALLRESULTERROR (2.1: a CALLRESULT that could not be processed).</summary>
    CallResultError,
    /// <summary>Nothing to answer: a broken answer to our own call, or a SEND, which is never answered.</summary>
    None,
}

/// <summary>Why a frame was refused, and the answer owed for it. <see cref="MessageId"/> is "-1" when the id could not be read.</summary>
public sealed record FrameError(string MessageId, OcppErrorCode Code, string Description, FrameErrorReply Reply)
{
    public const string UnreadableMessageId = "-1";
}
