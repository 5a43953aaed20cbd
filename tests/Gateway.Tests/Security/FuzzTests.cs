using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Csms.Gateway.Hosting;
using Csms.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Csms.Gateway.Tests.Security;

/// <summary>Runs alone, so the process's memory is this gateway's and this test's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz";
}

/// <summary>
/// A gateway that lets one CALL wait behind the one being answered: each input is followed at once by a barrier CALL
/// whose answer marks the end of the input's answers.
/// </summary>
public sealed class FuzzGatewayFixture : GatewayAppFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Gateway:MaxQueuedInboundCalls=1"];
}

/// <summary>
/// Thousands of seeded random and mutated frames against a real gateway. Replay a failure with the seed it prints:
/// <c>CSMS_FUZZ_SEED=&lt;seed&gt; dotnet test tests/Gateway.Tests --filter FuzzTests</c>.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(FuzzGatewayFixture gateway, ITestOutputHelper output) : IClassFixture<FuzzGatewayFixture>
{
    private const int HeartbeatEvery = 50;
    private const int MaxReportedFailures = 25;
    // the inputs measured carry over twice this (frames around the 128 KiB limit), so keeping a buffer per input would break it
    private const long MemoryGrowthBound = 64L * 1024 * 1024;

    // answers normally take milliseconds; the gateway's own grain timeout is 15 s
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, int> InputsPerGenerator = new()
    {
        [FuzzFrames.Mutated] = 1100,
        [FuzzFrames.DeepNesting] = 40,
        [FuzzFrames.InvalidUtf8] = 100,
        [FuzzFrames.RandomBytes] = 150,
        [FuzzFrames.Binary] = 30,
        [FuzzFrames.MessageIds] = 150,
        [FuzzFrames.LargeFrames] = 1400,
    };

    [Theory]
    [InlineData("ocpp1.6", 16_001)]
    [InlineData("ocpp2.0.1", 20_101)]
    public async Task Thousands_of_mutated_frames_get_spec_correct_answers_or_a_clean_close_and_the_gateway_keeps_serving(
        string subprotocol, int defaultSeed)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CSMS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : defaultSeed;
        // CSMS_FUZZ_SCALE=10 runs ten times the inputs, for a longer campaign by hand
        var scale = int.TryParse(Environment.GetEnvironmentVariable("CSMS_FUZZ_SCALE"), CultureInfo.InvariantCulture, out var factor) && factor > 0 ? factor : 1;
        var counts = InputsPerGenerator.ToDictionary(g => g.Key, g => g.Value * scale);
        var v16 = subprotocol == "ocpp1.6";
        var maxMessageBytes = gateway.App.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxMessageBytes;
        var frames = new FuzzFrames(new Random(seed), v16, maxMessageBytes);
        var failures = new List<string>();
        var perGenerator = new Dictionary<string, int>();
        var (inputs, closes, dropped, bytesSent) = (0, 0, 0, 0L);
        // the baseline is taken a fifth of the way in: warm-up, and other test classes' hosts still being torn down, are over
        var baselineAfter = counts.Values.Sum() / 5;
        var (memoryBefore, bytesAtBaseline) = (0L, 0L);

        await using var session = new FuzzSession(gateway, "fuzz-" + subprotocol.Replace(".", "", StringComparison.Ordinal), subprotocol);
        await session.OpenAsync();
        try
        {
            foreach (var input in frames.Generate(counts))
            {
                inputs++;
                bytesSent += input.Bytes.Length;
                perGenerator[input.Generator] = perGenerator.GetValueOrDefault(input.Generator) + 1;
                var expected = FuzzOracle.Expect(input, maxMessageBytes, v16);
                var notUtf8 = expected.CloseStatuses.Contains(WebSocketCloseStatus.InvalidPayloadData);
                // ASP.NET's WebSocket fails a text frame that is not UTF-8 itself: it sends 1007 and aborts the socket at once,
                // so a frame already sent behind it turns the close into a TCP reset that can destroy the 1007; such inputs go alone
                var outcome = await session.SendAsync(input, alone: notUtf8);
                if (notUtf8 && outcome is { Closed: true, CloseStatus: null, Answers.Count: 0 })
                {
                    // even alone the abort sometimes loses the 1007; FrameLimitTests shows that defect on its own
                    dropped++;
                    outcome = outcome with { CloseStatus = WebSocketCloseStatus.InvalidPayloadData };
                }
                if (Problem(outcome, expected, v16) is { } problem)
                {
                    failures.Add($"input #{inputs} ({input.Generator}, {Describe(input)}): {problem}");
                }
                if (outcome.Closed || outcome.TimedOut)
                {
                    closes++;
                    // the next connection must work: the station reconnects and boots as a real one would
                    await session.ReopenAsync();
                }
                else if (inputs % HeartbeatEvery == 0 && await session.HeartbeatProblemAsync() is { } heartbeat)
                {
                    failures.Add($"after input #{inputs}: {heartbeat}");
                }
                if (inputs == baselineAfter)
                {
                    (memoryBefore, bytesAtBaseline) = (GC.GetTotalMemory(forceFullCollection: true), bytesSent);
                }
                if (failures.Count > MaxReportedFailures)
                {
                    break;
                }
            }
            if (await session.HeartbeatProblemAsync() is { } last)
            {
                failures.Add($"at the end: {last}");
            }
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or UpgradeRefusedException or OperationCanceledException)
        {
            failures.Add($"after input #{inputs} the station could not go on: {ex}");
        }
        await session.DisposeAsync();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var health = await gateway.Anonymous.GetAsync(new Uri("healthz", UriKind.Relative));

        output.WriteLine($"seed {seed}: {inputs} inputs ({string.Join(", ", perGenerator.Select(g => $"{g.Value} {g.Key}"))}), " +
            $"{bytesSent / 1024} KiB sent, {closes} connections closed by the gateway and reopened " +
            $"({dropped} non-UTF-8 frames dropped the connection without the 1007 close frame); " +
            $"managed memory {memoryBefore / (1024 * 1024)} MiB after input #{baselineAfter}, {memoryAfter / (1024 * 1024)} MiB at the end");
        Assert.True(failures.Count == 0,
            $"seed {seed} ({subprotocol}), replay with CSMS_FUZZ_SEED={seed}: {failures.Count} problem(s) in {inputs} inputs:\n" + string.Join("\n", failures));
        Assert.True(inputs >= counts.Values.Sum(), $"only {inputs} inputs ran");
        var measuredBytes = bytesSent - bytesAtBaseline;
        Assert.True(measuredBytes > 2 * MemoryGrowthBound, $"only {measuredBytes / (1024 * 1024)} MiB sent after the baseline: too little for the memory bound to mean anything");
        Assert.True(memoryAfter - memoryBefore < MemoryGrowthBound,
            $"managed memory grew by {(memoryAfter - memoryBefore) / (1024 * 1024)} MiB over {inputs - baselineAfter} inputs ({measuredBytes / (1024 * 1024)} MiB sent)");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>What is wrong with how the gateway dealt with one input, or null.</summary>
    private static string? Problem(Outcome outcome, FrameExpectation expected, bool v16) => outcome switch
    {
        { TimedOut: true } => $"no answer and no close within {AnswerTimeout.TotalSeconds} s",
        { Closed: true } when expected.Owed != Owed.Close =>
            $"the connection closed ({Status(outcome.CloseStatus)}) but should have stayed open ({expected.Why})",
        { Closed: true } when outcome.CloseStatus is not { } status || !expected.CloseStatuses.Contains(status) =>
            $"closed with {Status(outcome.CloseStatus)}, expected {string.Join(" or ", expected.CloseStatuses.Select(s => Status(s)))} ({expected.Why})",
        { Closed: false } when expected.Owed == Owed.Close => $"the connection stayed open, expected a close ({expected.Why})",
        _ => outcome.BarrierProblem ?? FuzzOracle.Check(expected, outcome.Answers, v16),
    };

    private static string Status(WebSocketCloseStatus? status) =>
        status is { } s ? $"{(int)s} {s}" : "no close frame (the connection dropped)";

    /// <summary>The input for a failure message: its text when it is printable UTF-8, else its bytes in hex; long ones shortened.</summary>
    private static string Describe(FuzzInput input)
    {
        const int Shown = 160;
        var kind = input.Binary ? "binary" : "text";
        if (!input.Binary && Utf8.IsValid(input.Bytes))
        {
            var text = Encoding.UTF8.GetString(input.Bytes);
            var shown = text.Length <= Shown ? text : text[..Shown] + $"…({text.Length} chars)";
            return $"{kind} {JsonSerializer.Serialize(shown)}";
        }
        var hex = Convert.ToHexString(input.Bytes.AsSpan(0, Math.Min(Shown / 2, input.Bytes.Length)));
        return $"{kind} {input.Bytes.Length} bytes 0x{hex}{(input.Bytes.Length > Shown / 2 ? "…" : "")}";
    }

    /// <summary>What happened after one input: the frames answering it, or how the connection ended.</summary>
    private sealed record Outcome(List<string> Answers, bool Closed, WebSocketCloseStatus? CloseStatus, bool TimedOut, string? BarrierProblem);

    /// <summary>
    /// One station's connection, kept open while the gateway keeps it. After each input it sends a barrier CALL with an
    /// action no version defines; answers come in order, so whatever arrives before the barrier's NotImplemented is the
    /// gateway's whole answer to the input.
    /// </summary>
    private sealed class FuzzSession(GatewayAppFixture gateway, string stationId, string subprotocol) : IAsyncDisposable
    {
        private TestStation? _station;
        private int _sequence;

        private TestStation Station => _station ?? throw new InvalidOperationException("the fuzz session is not open");

        public async Task OpenAsync()
        {
            _station = await gateway.ConnectAsync(stationId, subprotocol);
            var boot = subprotocol == "ocpp1.6"
                ? """{"chargePointVendor":"Fuzz","chargePointModel":"F-16"}"""
                : """{"reason":"PowerUp","chargingStation":{"model":"F-201","vendorName":"Fuzz"}}""";
            var (answer, problem) = await CallAsync("BootNotification", boot);
            if (problem is not null || answer!.Value.GetProperty("status").GetString() != "Accepted")
            {
                throw new InvalidOperationException($"the fuzz station could not boot: {problem ?? answer!.Value.GetRawText()}");
            }
        }

        public async Task ReopenAsync()
        {
            await DisposeAsync();
            await OpenAsync();
        }

        /// <summary>Sends the input and, unless it goes <paramref name="alone"/>, the barrier right behind it.</summary>
        public async Task<Outcome> SendAsync(FuzzInput input, bool alone)
        {
            var barrier = Id("barrier");
            await SendQuietlyAsync(input.Binary ? Station.SendBinaryAsync(input.Bytes) : Station.SendTextAsync(input.Bytes));
            var barrierSent = !alone;
            if (barrierSent)
            {
                await SendQuietlyAsync(Station.SendTextAsync(Barrier(barrier)));
            }

            var answers = new List<string>();
            while (true)
            {
                string? frame;
                try
                {
                    frame = await Station.ReceiveFrameAsync(AnswerTimeout);
                }
                catch (TimeoutException) when (!barrierSent)
                {
                    // no close came: is the connection still open, or stuck?
                    barrierSent = true;
                    await SendQuietlyAsync(Station.SendTextAsync(Barrier(barrier)));
                    continue;
                }
                catch (TimeoutException)
                {
                    return new Outcome(answers, false, null, true, null);
                }
                if (frame is null)
                {
                    return new Outcome(answers, true, await Station.WaitForCloseAsync(), false, null);
                }
                if (FuzzOracle.IsCsmsCall(frame))
                {
                    continue;
                }
                if (FuzzOracle.AnswerId(frame) == barrier)
                {
                    var problem = frame.Contains("\"NotImplemented\"", StringComparison.Ordinal) ? null : $"the barrier CALL got {frame}";
                    return new Outcome(answers, false, null, false, problem);
                }
                answers.Add(frame);
            }
        }

        private static string Barrier(string id) => $$"""[2,"{{id}}","FuzzBarrier",{}]""";

        private static async Task SendQuietlyAsync(Task sending)
        {
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the gateway closed while we were sending: the close status says why
            }
        }

        /// <summary>Null when a Heartbeat gets a CALLRESULT with a currentTime; else what went wrong.</summary>
        public async Task<string?> HeartbeatProblemAsync()
        {
            var (answer, problem) = await CallAsync("Heartbeat", "{}");
            if (problem is not null)
            {
                return problem;
            }
            return answer!.Value.TryGetProperty("currentTime", out var time) && time.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, out _)
                ? null
                : $"the Heartbeat's CALLRESULT has no currentTime: {answer.Value.GetRawText()}";
        }

        /// <summary>A CALL that must be answered with a CALLRESULT before anything else arrives (CSMS CALLs aside).</summary>
        private async Task<(JsonElement? Result, string? Problem)> CallAsync(string action, string payload)
        {
            var id = Id(action);
            try
            {
                await Station.SendTextAsync($"""[2,"{id}","{action}",{payload}]""");
                while (await Station.ReceiveFrameAsync(AnswerTimeout) is { } frame)
                {
                    if (FuzzOracle.IsCsmsCall(frame))
                    {
                        continue;
                    }
                    using var document = JsonDocument.Parse(frame);
                    var root = document.RootElement;
                    return root[0].GetInt32() == 3 && root[1].GetString() == id
                        ? (root[2].Clone(), null)
                        : (null, $"a {action} CALL got {frame} instead of its CALLRESULT");
                }
                return (null, $"the connection closed ({Status(await Station.WaitForCloseAsync())}) instead of answering {action}");
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or JsonException or OperationCanceledException)
            {
                return (null, $"{action} failed: {ex.Message}");
            }
        }

        private string Id(string what) => what + "-" + (++_sequence).ToString(CultureInfo.InvariantCulture);

        public async ValueTask DisposeAsync()
        {
            if (_station is not null)
            {
                await _station.DisposeAsync();
                _station = null;
            }
        }
    }
}
