using System.Net;
using System.Net.Sockets;

namespace Testing;

/// <summary>Loopback TCP ports for hosts a test starts, in both test projects.</summary>
internal static class LoopbackPort
{
    /// <summary>A port the OS reports free right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True once something accepts TCP connections on the port.</summary>
    public static async Task<bool> IsOpenAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception exception) when (exception is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
