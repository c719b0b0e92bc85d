using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Silo;

internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        builder.UseOrleans(silo => silo
            .UseConfiguredClustering(cluster)
            .AddSessionGrains()
            .AddDashboard());

        await builder.Build().RunAsync();
    }
}
