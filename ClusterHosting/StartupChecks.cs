using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ClusterHosting;

/// <summary>What must hold before a process joins the cluster, checked up front so a failure is one clear line.</summary>
public static class StartupChecks
{
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(5);

    /// <param name="hostsSilo">True for a silo (its ports must be free); false for a pure client.</param>
    /// <returns>With the Redis provider, the connection the probe opened, for the whole process to share.</returns>
    public static async Task<SharedRedisConnection?> RunAsync(ClusterHostingOptions cluster, bool hostsSilo)
    {
        if (hostsSilo)
        {
            var address = cluster.Provider == ClusterProvider.Redis ? cluster.Address : IPAddress.Loopback;
            EnsureFree(address, cluster.SiloPort, "Cluster:SiloPort");
            EnsureFree(address, cluster.GatewayPort, "Cluster:GatewayPort");
        }

        return cluster.Provider == ClusterProvider.Redis
            ? await RedisConnection.ConnectAsync(cluster.RedisConnectionString!, RedisTimeout)
            : null;
    }

    /// <summary>
    /// Runs a process's main body; a configuration or start-up problem is printed as one line to stderr
    /// and the exit code is 2, instead of a stack trace.
    /// </summary>
    public static async Task<int> ExitCodeOfAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {string.Join(" ", exception.Failures)}");
        }
        catch (StartupException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
        }
        catch (IOException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            await Console.Error.WriteLineAsync($"Cannot listen: {exception.Message}");
        }

        return 2;
    }

    private static void EnsureFree(IPAddress address, int port, string setting)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
        }
        catch (SocketException exception)
        {
            throw new StartupException($"Port {port} on {address} ({setting}) cannot be used: {exception.Message}");
        }
    }
}
