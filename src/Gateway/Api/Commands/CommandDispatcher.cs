using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Csms.Ocpp.Commands;
using Csms.Ocpp.Messages;
using Csms.Ocpp.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Commands;

/// <summary>How a command is sent: query string and headers shared by every command endpoint.</summary>
public sealed record CommandSendOptions
{
    [FromQuery(Name = "wait"), Description("Seconds to wait for the outcome before answering (0 to Api:MaxWaitSeconds); 0 or absent answers 202 at once")]
    public string? Wait { get; init; }

    [FromQuery(Name = "offline"), Description("queue (default): an offline station gets the command when it connects, until it expires; fail: refuse at once (409) if the station is offline")]
    public string? Offline { get; init; }

    [FromQuery(Name = "expiresIn"), Description("Seconds the command may wait in the queue before it expires unsent (default Csms:CommandExpiry, 1 hour)")]
    public string? ExpiresIn { get; init; }

    [FromQuery(Name = "timeout"), Description("Seconds the station has to answer once the command is sent (1 to 300; default Csms:CommandTimeout, 30)")]
    public string? Timeout { get; init; }

    [FromHeader(Name = "Idempotency-Key"), Description("Makes a retry safe: the same key for the same station returns the first command instead of sending another")]
    public string? IdempotencyKey { get; init; }
}

/// <summary>
/// A secret inside a command's payload (a new password): sent to the station, but shown and stored only as
/// <see cref="Redacted"/>; <paramref name="Hash"/> is what the station's credentials become once it accepts.
/// </summary>
public sealed record CommandSecret(string Value, string Hash, bool Generated)
{
    public const string Redacted = "(redacted)";

    public string Redact(string payloadJson) =>
        payloadJson.Replace(JsonSerializer.Serialize(Value), JsonSerializer.Serialize(Redacted), StringComparison.Ordinal);
}

/// <summary>The answer to a password change: the command, and the password if the CSMS generated it (shown this once).</summary>
public sealed record PasswordChangeView(CommandView Command, string? GeneratedPassword);

/// <summary>
/// Sends commands to a station's durable outbox: finds the station and its OCPP version, validates every call against
/// that version's schema, queues it, and optionally waits for the outcome.
/// </summary>
public sealed class CommandDispatcher(IGrainFactory grains, IOptions<ApiOptions> options, TimeProvider clock)
{
    public const int MaxIdempotencyKeyLength = 200;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sends what <paramref name="build"/> makes for the station's version: either the calls, or a problem (the request
    /// cannot be expressed in that version). One call answers with its <see cref="CommandView"/>, several with a batch.
    /// </summary>
    public async Task<IResult> SendAsync(HttpContext http, string stationId, CommandSendOptions send,
        Func<OcppVersion, CommandTranslation> build, bool alwaysBatch = false, CommandSecret? secret = null)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var identityProblem))
        {
            return ApiProblems.BadRequest(identityProblem);
        }
        var (parsed, optionsProblem) = ParseOptions(send);
        if (parsed is null)
        {
            return ApiProblems.BadRequest(optionsProblem!);
        }

        var grain = grains.GetGrain<IChargingStationGrain>(canonical);
        // the connection alone: the full snapshot would ask every EVSE grain as well
        if (await grain.GetConnection() is not { } connection)
        {
            return (await grain.GetSnapshot()).Registration == RegistrationStatus.Unknown
                ? ApiProblems.NotFound($"station '{canonical}' has never connected")
                : ApiProblems.Conflict($"station '{canonical}' has not connected yet, so its OCPP version is unknown; commands can be sent once it has");
        }
        if (!OcppVersions.TryParseNumber(connection.Version, out var version))
        {
            return ApiProblems.Conflict($"station '{canonical}' speaks an unknown OCPP version '{connection.Version}'");
        }
        var translation = build(version);
        if (!translation.IsExpressible)
        {
            return ApiProblems.Unprocessable($"station '{canonical}' speaks OCPP {version.Number()}: {translation.Problem}");
        }
        var calls = translation.Calls.Select(c => (c.Action, PayloadJson: c.Payload.ToJsonString())).ToArray();
        foreach (var (action, payloadJson) in calls)
        {
            if (Validate(version, action, payloadJson) is { } invalid)
            {
                return ApiProblems.BadRequest(invalid);
            }
            if (secret is null && ChangePasswordCommand.Writes(action, payloadJson))
            {
                return ApiProblems.BadRequest($"this {action} sets the station's Basic-auth password; send it with POST " +
                    $"{OperatorApi.Prefix}/stations/{{id}}/password instead, which keeps the old password valid until the station accepts " +
                    "and the CSMS's copy in step (otherwise the station is locked out when it reconnects)");
            }
        }

        var requestedBy = http.User.Identity?.Name;
        var sent = new List<CommandStatus>(calls.Length);
        for (var i = 0; i < calls.Length; i++)
        {
            var call = calls[i];
            var key = send.IdempotencyKey is { } k ? (calls.Length == 1 ? k : $"{k}#{i}") : null;
            // a secret is sent but never shown or kept: the outbox and the history see it redacted
            var shown = secret?.Redact(call.PayloadJson) ?? call.PayloadJson;
            var status = await grain.SendCommand(new CommandRequest(call.Action, shown, parsed.Timeout ?? TimeSpan.Zero, key,
                parsed.WaitIfOffline, parsed.ExpiresIn, requestedBy, secret is null ? null : call.PayloadJson, secret?.Hash));
            if (key is not null && (status.Action != call.Action || !SameJson(status.PayloadJson, shown)))
            {
                return ApiProblems.Conflict($"the Idempotency-Key '{send.IdempotencyKey}' was already used for a different command " +
                    $"({status.Action} {status.CommandId}); use a new key for a new command");
            }
            sent.Add(status);
        }

        if (sent.Find(s => s.ErrorCode == CommandRefusals.OutboxFull && s.SentAt is null) is { } full)
        {
            return Results.Problem(detail: $"station '{canonical}': {full.ErrorDescription}", statusCode: StatusCodes.Status429TooManyRequests,
                extensions: new Dictionary<string, object?> { ["commandId"] = full.CommandId });
        }
        if (sent.Find(s => s.ErrorCode == CommandRefusals.PasswordChangeInProgress && s.SentAt is null) is { } busy)
        {
            return ApiProblems.Conflict($"station '{canonical}': {busy.ErrorDescription}", new Dictionary<string, object?> { ["commandId"] = busy.CommandId });
        }
        if (!parsed.WaitIfOffline && sent.Find(s => s.State == CommandState.Cancelled && s.SentAt is null) is { } offline)
        {
            return ApiProblems.Conflict($"station '{canonical}': {offline.ErrorDescription} (offline=fail); retry when it is connected, or leave out offline=fail to queue",
                new Dictionary<string, object?> { ["commandId"] = offline.CommandId });
        }
        if (parsed.Wait > TimeSpan.Zero)
        {
            sent = await WaitForOutcomes(grain, sent, parsed.Wait, http.RequestAborted);
        }
        var views = sent.Select(s => CommandView.From(canonical, s)).ToArray();
        var final = sent.TrueForAll(s => s.IsFinal);
        var location = $"{OperatorApi.Prefix}/stations/{Uri.EscapeDataString(canonical)}/commands/{views[0].CommandId}";
        object body = secret is not null ? new PasswordChangeView(views[0], secret.Generated ? secret.Value : null)
            : views.Length == 1 && !alwaysBatch ? views[0] : new CommandBatchView(views);
        return final ? TypedResults.Ok(body) : TypedResults.Accepted(location, body);
    }

    private async Task<List<CommandStatus>> WaitForOutcomes(IChargingStationGrain grain, List<CommandStatus> sent, TimeSpan wait,
        CancellationToken aborted)
    {
        var deadline = clock.GetUtcNow() + wait;
        var pause = TimeSpan.FromMilliseconds(25);
        while (!sent.TrueForAll(s => s.IsFinal) && clock.GetUtcNow() < deadline && !aborted.IsCancellationRequested)
        {
            var left = deadline - clock.GetUtcNow();
            try
            {
                await Task.Delay(pause < left ? pause : left, clock, aborted);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            pause = TimeSpan.FromMilliseconds(Math.Min(500, pause.TotalMilliseconds * 2));
            for (var i = 0; i < sent.Count; i++)
            {
                if (!sent[i].IsFinal && await grain.GetCommand(sent[i].CommandId) is { } now)
                {
                    sent[i] = now;
                }
            }
        }
        return sent;
    }

    public static string? Validate(OcppVersion version, string action, string payloadJson)
    {
        if (!CsmsInitiatedActions.Contains(version, action))
        {
            return $"'{action}' is not an action the CSMS sends in OCPP {version.Number()}; it is one of: " +
                string.Join(", ", CsmsInitiatedActions.For(version).Order(StringComparer.Ordinal));
        }
        using var document = JsonDocument.Parse(payloadJson);
        var result = OcppSchemaSet.Embedded.Validate(version, action, OcppMessageKind.Request, document.RootElement);
        return result.IsValid ? null : $"the payload is not a valid OCPP {version.Number()} {action}Request: {result.Description}";
    }

    private sealed record ParsedOptions(TimeSpan Wait, bool WaitIfOffline, TimeSpan? ExpiresIn, TimeSpan? Timeout);

    private (ParsedOptions? Options, string? Problem) ParseOptions(CommandSendOptions send)
    {
        var maxWait = options.Value.MaxWaitSeconds;
        if (!TrySeconds(send.Wait, 0, maxWait, out var wait))
        {
            return (null, $"wait must be a number of seconds from 0 to {maxWait}");
        }
        bool waitIfOffline;
        switch (send.Offline?.Trim().ToLowerInvariant())
        {
            case null or "" or "queue": waitIfOffline = true; break;
            case "fail": waitIfOffline = false; break;
            default: return (null, "offline must be 'queue' (wait for the station, until the command expires) or 'fail' (refuse if it is offline)");
        }
        if (!TrySeconds(send.ExpiresIn, 1, 30 * 24 * 3600, out var expiresIn))
        {
            return (null, "expiresIn must be a number of seconds from 1 to 2592000 (30 days)");
        }
        if (!TrySeconds(send.Timeout, 1, MaxTimeout.TotalSeconds, out var timeout))
        {
            return (null, $"timeout must be a number of seconds from 1 to {MaxTimeout.TotalSeconds}");
        }
        if (send.IdempotencyKey is { } key && (key.Length == 0 || key.Length > MaxIdempotencyKeyLength))
        {
            return (null, $"the Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters");
        }
        return (new ParsedOptions(wait ?? TimeSpan.Zero, waitIfOffline, expiresIn, timeout), null);
    }

    private static bool TrySeconds(string? text, double min, double max, out TimeSpan? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds)
            || seconds < min || seconds > max)
        {
            return false;
        }
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool SameJson(string a, string b)
    {
        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }
}
