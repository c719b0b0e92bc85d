using System.Net;
using System.Net.Sockets;

namespace Api.Tests;

internal static class FreeTcpPort
{
    /// <summary>A loopback port the OS reports free right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
