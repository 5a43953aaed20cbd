using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Csms.Gateway.Hosting;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;
using Csms.ServiceDefaults;

namespace Csms.Gateway.Ocpp;

/// <summary>
/// One station's WebSocket: reads frames in order, validates them, forwards them to the station grain and writes the
/// answers; writes CSMS-initiated frames from its bounded queue. Every send goes through the one send loop.
/// </summary>
/// <remarks>
/// A station's CALLs are answered one at a time, in order, by the answer loop, while the receive loop keeps reading:
/// results of the CSMS's own calls are not held up behind a slow CALL, and a CALL sent while the previous one is still
/// unanswered (OCPP-J 4.1.1 allows one outstanding CALL per direction) gets an error at once instead of queueing
/// without bound. <see cref="GatewayOptions.MaxQueuedInboundCalls"/> lets a few wait, for stations that pipeline.
/// </remarks>
public sealed class StationSocket(
    string stationId,
    OcppVersion version,
    WebSocket socket,
    IChargingStationGrain grain,
    GatewayOptions options,
    Func<StationSocket, Task> reannounce,
    ILogger logger)
{
    private const int RetainedBufferBytes = 16 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<string> _outbound = Channel.CreateBounded<string>(
        new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<CallFrame> _inboundCalls = Channel.CreateUnbounded<CallFrame>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _callsPending;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "closing";
    private int _closeRequested;

    public string StationId { get; } = stationId;

    public OcppVersion Version { get; } = version;

    public long Epoch { get; set; }

    /// <summary>Queues a CSMS-initiated frame. A station that lets its queue fill up is disconnected rather than buffered forever.</summary>
    public void Enqueue(string frame)
    {
        if (!_outbound.Writer.TryWrite(frame))
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, "send queue full: the station is not reading its messages");
        }
    }

    /// <summary>Sends what is queued, then a close frame. Safe to call from any thread, more than once.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            _closeStatus = status;
            _closeReason = reason.Length <= 120 ? reason : reason[..120];
            _outbound.Writer.TryComplete();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sending = SendLoopAsync(cancellationToken);
        var answering = AnswerLoopAsync(cancellationToken);
        try
        {
            await ReceiveLoopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the peer vanished or the host is stopping: nothing to answer
        }
        finally
        {
            _inboundCalls.Writer.TryComplete();
            // closing first: an answer waiting for room in the send queue must not wait for a send loop that has
            // stopped; a CALL still in the grain finishes there (the station retries it on its next connection)
            RequestClose(WebSocketCloseStatus.NormalClosure, "closing");
            await answering;
            await sending;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (socket.State == WebSocketState.Open && Volatile.Read(ref _closeRequested) == 0)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                RequestClose(WebSocketCloseStatus.NormalClosure, "closed by the station");
                return;
            }
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > options.MaxMessageBytes)
            {
                RequestClose(WebSocketCloseStatus.MessageTooBig, $"message larger than {options.MaxMessageBytes} bytes");
                return;
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                RequestClose(WebSocketCloseStatus.InvalidMessageType, "OCPP-J uses text frames only");
                return;
            }
            await HandleFrameAsync(buffer.WrittenSpan.ToArray(), cancellationToken);
            if (buffer.Capacity > RetainedBufferBytes)
            {
                // one large message must not pin its buffer for the life of the connection
                buffer = new ArrayBufferWriter<byte>(4096);
            }
            else
            {
                buffer.ResetWrittenCount();
            }
        }
    }

    private async Task HandleFrameAsync(byte[] utf8, CancellationToken cancellationToken)
    {
        if (!OcppFrameReader.TryRead(utf8, Version, out var frame, out var error))
        {
            CsmsTelemetry.Messages.Add(1, Tags("?", error!.Code.ToString()));
            if (error.Reply != FrameErrorReply.None)
            {
                await SendAsync(OcppFrameWriter.Error(error, Version), cancellationToken);
            }
            return;
        }

        switch (frame)
        {
            case CallFrame call:
                await AcceptCallAsync(call, cancellationToken);
                break;
            case CallResultFrame result:
                await ForwardAsync(() => grain.HandleCallResult(Epoch, result.MessageId, result.Payload.GetRawText()), "CALLRESULT");
                break;
            case CallErrorFrame { ErrorType: OcppMessageType.CallError } callError:
                await ForwardAsync(() => grain.HandleCallError(Epoch, callError.MessageId, callError.ErrorCode, callError.Description), "CALLERROR");
                break;
            case CallErrorFrame callResultError:
                logger.LogWarning("Station {Station} refused our answer to {MessageId}: {Code} {Description}",
                    StationId, callResultError.MessageId, callResultError.ErrorCode, callResultError.Description);
                break;
            case SendFrame send:
                // SEND is never answered (2.1 Part 4 4.2.4); we validate it for the log, and have no consumer yet
                if (!OcppSchemaSet.Embedded.Has(Version, send.Action, OcppMessageKind.Send))
                {
                    // an action name a station made up is not a metric series: a station must not be able to grow them without bound
                    CsmsTelemetry.Messages.Add(1, Tags("unknown", "send"));
                    break;
                }
                var valid = OcppSchemaSet.Embedded.Validate(Version, send.Action, OcppMessageKind.Send, send.Payload);
                CsmsTelemetry.Messages.Add(1, Tags(send.Action, valid.IsValid ? "send" : valid.Error.ToString()));
                break;
        }
    }

    private async Task AcceptCallAsync(CallFrame call, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _callsPending) <= 1 + options.MaxQueuedInboundCalls)
        {
            _inboundCalls.Writer.TryWrite(call);
            return;
        }
        Interlocked.Decrement(ref _callsPending);
        // OCPP-J 4.1.1: one outstanding CALL per direction. 2.x has an RPC-framework code for this; 1.6 only GenericError.
        var code = Version == OcppVersion.V16 ? OcppErrorCode.GenericError : OcppErrorCode.RpcFrameworkError;
        var waiting = options.MaxQueuedInboundCalls == 0 ? "the previous CALL is" : $"{options.MaxQueuedInboundCalls + 1} CALLs are";
        await SendAsync(OcppFrameWriter.CallError(call.MessageId, code,
            $"one CALL at a time (OCPP-J 4.1.1): {waiting} still being answered; send this again after its answer", Version), cancellationToken);
        CsmsTelemetry.Messages.Add(1, Tags("concurrent", code.ToString()));
    }

    private async Task AnswerLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var call in _inboundCalls.Reader.ReadAllAsync(cancellationToken))
            {
                if (Volatile.Read(ref _closeRequested) == 1)
                {
                    // closing: the answer could not be delivered; the station sends it again on its next connection
                    continue;
                }
                await HandleCallAsync(call, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }

    private async Task HandleCallAsync(CallFrame call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // one trace per station CALL; Orleans' activity propagation carries it into the grain calls it causes
        using var activity = CsmsTelemetry.Source.StartActivity("ocpp.call", ActivityKind.Server);
        activity?.SetTag("ocpp.station", StationId);
        activity?.SetTag("ocpp.version", Version.Number());
        activity?.SetTag("ocpp.message_id", call.MessageId);
        var answer = await AnswerAsync(call);
        activity?.SetTag("ocpp.action", answer.KnownAction ? call.Action : "unknown");
        activity?.SetTag("ocpp.result", answer.Result);
        // counted down before the answer leaves, so a station that sends its next CALL on reading it is never refused
        Interlocked.Decrement(ref _callsPending);
        await SendAsync(answer.Frame, cancellationToken);
        CsmsTelemetry.Messages.Add(1, Tags(answer.KnownAction ? call.Action : "unknown", answer.Result));
        CsmsTelemetry.CallDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, Tags(answer.KnownAction ? call.Action : "unknown", answer.Result));
        if (answer.Superseded)
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, "replaced by a newer connection for the same station");
        }
    }

    private async Task<Answer> AnswerAsync(CallFrame call)
    {
        var schemas = OcppSchemaSet.Embedded;
        if (!schemas.Has(Version, call.Action, OcppMessageKind.Request))
        {
            var shown = call.Action.Length <= 40 ? call.Action : call.Action[..40] + "…";
            return Error(call, OcppErrorCode.NotImplemented, $"{shown} is not an OCPP {Version.Number()} action", knownAction: false);
        }
        var validation = schemas.Validate(Version, call.Action, OcppMessageKind.Request, call.Payload);
        if (!validation.IsValid)
        {
            return Error(call, validation.Error, validation.Description);
        }

        CallReply reply;
        try
        {
            reply = await grain.HandleCall(Epoch, new InboundCall(call.MessageId, call.Action, call.Payload.GetRawText()))
                .WaitAsync(TimeSpan.FromSeconds(options.GrainCallTimeoutSeconds));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Station {Station}: {Action} {MessageId} timed out in the cluster", StationId, call.Action, call.MessageId);
            return Error(call, OcppErrorCode.InternalError, $"{call.Action} was not processed in time; retry later");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Station {Station}: {Action} {MessageId} failed in the cluster", StationId, call.Action, call.MessageId);
            return Error(call, OcppErrorCode.InternalError, $"{call.Action} could not be processed; retry later");
        }

        if (reply.LinkMissing)
        {
            // the grain moved (silo failover): give it this gateway's link now rather than at the next periodic re-announce
            _ = reannounce(this);
        }
        if (reply.IsError)
        {
            return Error(call, reply.ErrorCode!.Value, reply.ErrorDescription ?? "", superseded: reply.Superseded);
        }

        // our own answer must be schema-valid too; if a handler ever builds an invalid one, say so rather than send it
        using var response = JsonDocument.Parse(reply.PayloadJson!);
        var check = schemas.Validate(Version, call.Action, OcppMessageKind.Response, response.RootElement);
        if (!check.IsValid)
        {
            logger.LogError("Our {Action} response for {Station} is not schema-valid: {Problem}", call.Action, StationId, check.Description);
            return Error(call, OcppErrorCode.InternalError, $"{call.Action}: the CSMS produced an invalid response");
        }
        return new Answer(OcppFrameWriter.CallResult(call.MessageId, reply.PayloadJson!), "ok", true, false);
    }

    private Answer Error(CallFrame call, OcppErrorCode code, string description, bool knownAction = true, bool superseded = false) =>
        new(OcppFrameWriter.CallError(call.MessageId, code, description, Version), code.ToString(), knownAction, superseded);

    private async Task ForwardAsync(Func<Task> forward, string what)
    {
        try
        {
            await forward().WaitAsync(TimeSpan.FromSeconds(options.GrainCallTimeoutSeconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Station {Station}: forwarding a {What} failed", StationId, what);
        }
    }

    private async ValueTask SendAsync(string frame, CancellationToken cancellationToken)
    {
        try
        {
            // answers wait for room (backpressure on this station's own reading); they are never dropped
            await _outbound.Writer.WriteAsync(frame, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // closing: the answer cannot be delivered on this socket; the station will retry on its next one
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, cancellationToken);
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
                // a peer that never answers our close must not keep the receive loop waiting forever
                _ = Task.Delay(CloseHandshakeTimeout, CancellationToken.None).ContinueWith(_ =>
                {
                    if (socket.State != WebSocketState.Closed)
                    {
                        socket.Abort();
                    }
                }, TaskScheduler.Default);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private KeyValuePair<string, object?>[] Tags(string action, string result) =>
        [new("action", action), new("version", Version.Number()), new("result", result)];

    private readonly record struct Answer(string Frame, string Result, bool KnownAction, bool Superseded);
}
