using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Silo;

internal static class Program
{
    public static Task<int> Main(string[] args) => StartupChecks.ExitCodeOfAsync(async () =>
    {
        // appsettings.json sits beside the binary, wherever the silo is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        await StartupChecks.RunAsync(cluster, hostsSilo: true);
        builder.UseOrleans(silo => silo
            .UseConfiguredClustering(cluster)
            .AddSessionGrains(cluster)
            .AddDashboard());

        await builder.Build().RunAsync();
    });
}
