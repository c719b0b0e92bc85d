using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ClusterHosting;

namespace Api.Hosting;

/// <summary>Tells the person who started the service where to connect.</summary>
internal static partial class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var topology = ClusterHostingOptions.Read(app.Configuration).Topology;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Api");
            foreach (var address in addresses)
            {
                var baseUrl = address.TrimEnd('/');
                var socketUrl = baseUrl.Replace("http", "ws", StringComparison.Ordinal);
                Ready(logger, topology, baseUrl, socketUrl);
            }
        });
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Sessions service ready ({Topology}): GET {BaseUrl}/process · WebSocket {SocketUrl}/ws · dashboard {BaseUrl}/dashboard"
            + " · metrics {BaseUrl}/metrics · health {BaseUrl}/health/ready")]
    private static partial void Ready(ILogger logger, ClusterTopology topology, string baseUrl, string socketUrl);
}
