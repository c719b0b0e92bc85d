using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Observability;

/// <summary>
/// OpenTelemetry for every process of the service: ASP.NET Core, runtime and Orleans meters plus the
/// service's own, exported at <c>/metrics</c> in Prometheus format; traces across the front end and the
/// grains; and OTLP export, switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> setting alone.
/// Spans are recorded only when something receives them (OTLP, or <c>Telemetry:Tracing=true</c> for an
/// exporter added in code): without a listener no span is even created on the hot path.
/// </summary>
public static class TelemetryExtensions
{
    public const string ReadyTag = "ready";

    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Spans are recorded when an OTLP endpoint is set or <c>Telemetry:Tracing</c> is true; otherwise grain calls
    /// skip Orleans' tracing filters altogether.
    /// </summary>
    public static bool TracingEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || configuration.GetValue<bool>("Telemetry:Tracing");

    public static IHostApplicationBuilder AddSessionTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] ownMeters)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(ownMeters)
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (TracingEnabled(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperatorPath(context.Request.Path))
                .AddSource(OrleansSources));
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary><c>/metrics</c>, <c>/health/live</c> (the process answers) and <c>/health/ready</c> (every check tagged ready passes).</summary>
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/dashboard");
}
