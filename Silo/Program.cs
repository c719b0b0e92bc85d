using Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using ClusterHosting;
using ClusterHosting.Observability;
using ServiceDefaults;
using ServiceDefaults.Http;
using ServiceDefaults.Observability;

namespace Silo;

internal static class Program
{
    public static Task<int> Main(string[] args) => StartupChecks.ExitCodeOfAsync(async () =>
    {
        // appsettings.json sits beside the binary, wherever the silo is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        var redis = await StartupChecks.RunAsync(cluster, hostsSilo: true);
        builder.Services.AddSharedRedisConnection(redis);
        var tracing = TelemetryExtensions.TracingEnabled(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseConfiguredClustering(cluster).AddSessionGrains(cluster).AddDashboard();
            if (tracing)
            {
                silo.AddSessionTracing();
            }
        });
        builder.AddServiceDefaults("sessions-silo", GrainServiceCollectionExtensions.MeterName);
        builder.Services.AddSiloHealthChecks(cluster);

        // The silo's HTTP port (Urls) serves operators only: /metrics and /health.
        var app = builder.Build();
        app.UseTrustedForwardedHeaders();
        app.UseKnownHostFiltering();
        app.MapOperatorEndpoints();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            SiloLog.Ready(app.Logger, cluster.SiloPort, cluster.GatewayPort, urls);
        });
        await app.RunAsync();
    });
}
