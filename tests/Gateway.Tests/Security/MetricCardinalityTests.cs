using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Csms.Gateway.Tests.Infrastructure;
using Csms.ServiceDefaults;

namespace Csms.Gateway.Tests.Security;

/// <summary>What a station sends must not create metric series without bound: made-up action names count as "unknown".</summary>
public sealed class MetricCardinalityTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task Made_up_CALL_and_SEND_actions_are_counted_as_unknown_not_as_new_series()
    {
        var actions = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CsmsTelemetry.MeterName && instrument.Name == "csms.ocpp.messages")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "action" && tag.Value is string action)
                {
                    actions.Add(action);
                }
            }
        });
        listener.Start();

        await using var station = await gateway.ConnectAsync($"metrics-{Guid.NewGuid():N}"[..24], "ocpp2.1");
        var made = Enumerable.Range(0, 20).Select(i => $"Invented{i}-{Guid.NewGuid():N}"[..30]).ToArray();
        foreach (var action in made)
        {
            await station.SendTextAsync($$"""[6,"s-{{action}}","{{action}}",{}]""");
            var answer = await station.CallAsync(action, new { });
            Assert.Equal("NotImplemented", answer.ErrorCode);
        }

        Assert.Contains("unknown", actions);
        Assert.DoesNotContain(actions, a => made.Contains(a));
    }
}
