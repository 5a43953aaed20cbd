using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Csms.ServiceDefaults;

/// <summary>What every host of ours wires the same way: OpenTelemetry, health checks.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this decide readiness (<c>/readyz</c>); untagged ones only liveness (<c>/healthz</c>).</summary>
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(CsmsTelemetry.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());

        // Traces leave the process only over OTLP, so they are recorded only when an endpoint is configured
        // (OTEL_EXPORTER_OTLP_ENDPOINT, as the SDK documents): without one, a span for every frame and grain call would
        // be built and thrown away, which cost a measurable share of the CPU per message (bench/README.md).
        if (TracingEnabled(builder.Configuration))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(CsmsTelemetry.SourceName)
                    // Orleans' own activity sources: grain calls join the trace of the frame that caused them
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsProbe(ctx.Request.Path)))
                .UseOtlpExporter();
        }

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy())
            .AddCheck<HostStartedHealthCheck>("started", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (liveness), <c>/readyz</c> (readiness) and <c>/metrics</c> (Prometheus scrape).</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => !check.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = _ => true });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Whether spans are recorded: only when they can be exported over OTLP.</summary>
    public static bool TracingEnabled(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
