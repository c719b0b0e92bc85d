using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Silo;

internal static class Program
{
    public static async Task Main(string[] args)
    {
        // appsettings.json sits beside the binary, wherever the silo is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        builder.UseOrleans(silo => silo
            .UseConfiguredClustering(cluster)
            .AddSessionGrains()
            .AddDashboard());

        await builder.Build().RunAsync();
    }
}
