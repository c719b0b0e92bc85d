using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Silo;

var builder = Host.CreateApplicationBuilder(args);
var cluster = ClusterHostingOptions.Read(builder.Configuration);
builder.UseOrleans(silo => silo
    .UseConfiguredClustering(cluster)
    .AddSessionGrains()
    .AddDashboard());

await builder.Build().RunAsync();
