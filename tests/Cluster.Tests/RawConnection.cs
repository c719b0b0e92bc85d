using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cluster.Tests;

/// <summary>
/// A TCP connection to a front end driven byte by byte: a hand-written upgrade, frames a well-behaved client
/// would never send, trickled headers, and endings without a close frame.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<RawConnection> ConnectAsync(Uri frontEnd)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(IoTimeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, frontEnd.Port), timeout.Token);
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and upgrades to a WebSocket; throws unless the answer is 101.</summary>
    public static async Task<RawConnection> UpgradeAsync(Uri frontEnd, string path, string? bearerToken = null)
    {
        var connection = await ConnectAsync(frontEnd);
        try
        {
            var authorization = bearerToken is null ? "" : $"Authorization: Bearer {bearerToken}\r\n";
            await connection.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {frontEnd.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n{authorization}\r\n"));
            var head = await connection.ReadResponseHeadAsync();
            if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Upgrade of {path} refused: {head.Split('\r')[0]}");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(IoTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Writes one frame exactly as given: any opcode, reserved bits, length and masking, valid or not.</summary>
    public Task SendFrameAsync(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int reservedBits = 0, bool masked = true)
    {
        var header = new byte[14];
        header[0] = (byte)((fin ? 0x80 : 0) | ((reservedBits & 0x7) << 4) | (opcode & 0xF));
        int length;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            length = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payload.Length);
            length = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payload.Length);
            length = 10;
        }

        var frame = new byte[length + (masked ? 4 : 0) + payload.Length];
        header.AsSpan(0, length).CopyTo(frame);
        if (masked)
        {
            frame[1] |= 0x80;
            var key = frame.AsSpan(length, 4);
            Random.Shared.NextBytes(key);
            for (var i = 0; i < payload.Length; i++)
            {
                frame[length + 4 + i] = (byte)(payload[i] ^ key[i % 4]);
            }
        }
        else
        {
            payload.CopyTo(frame.AsSpan(length));
        }

        return WriteAsync(frame);
    }

    /// <summary>Reads and discards what the server sends until it closes the connection or <paramref name="within"/> passes; true if it closed.</summary>
    public async Task<bool> DrainUntilClosedAsync(TimeSpan within)
    {
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Ends the connection with a TCP reset: no close frame, no FIN, as when a client's process dies.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        _socket.Close();
    }

    /// <summary>Half-closes: the server reads end-of-stream without a close frame.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private async Task<string> ReadResponseHeadAsync()
    {
        var head = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(IoTimeout);
        while (head.Count < 8192)
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. head]);
    }
}
