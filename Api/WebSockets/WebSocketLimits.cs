using System.ComponentModel.DataAnnotations;

namespace Api.WebSockets;

/// <summary>Limits of one WebSocket connection; bound from the <c>WebSockets</c> section.</summary>
internal sealed class WebSocketLimits
{
    public const string SectionName = "WebSockets";

    /// <summary>The largest text message accepted; a larger one closes the socket with 1009.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>The receive buffer each connection rents while it reads; larger messages are assembled.</summary>
    [Range(256, 1024 * 1024)]
    public int ReceiveBufferBytes { get; set; } = 4 * 1024;

    /// <summary>How often the server pings an idle socket.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for the client's close frame after sending its own.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one send may wait for a client that stopped reading (its TCP window full); after it the socket is
    /// dropped and counted as rejected (send_timeout). With the kernel's buffers filling in well under a second on
    /// a busy socket, such a client is let go within about this long of its last read.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Messages waiting to be sent to one socket; a client that lets more pile up is closed with 1008.</summary>
    [Range(1, 1_000_000)]
    public int SendQueueLimit { get; set; } = 256;

    /// <summary>How long a browser socket may take to send its <c>auth</c> message before it is closed with 1008.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Malformed messages (invalid JSON, unknown type, bad fields) one socket may send before it is closed with 1008.</summary>
    [Range(1, 1_000_000)]
    public int MaxProtocolErrors { get; set; } = 5;

    /// <summary>How long one attempt of a socket's session call may take before it is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a socket keeps retrying calls to a session whose silo failed, covering the time the cluster
    /// takes to declare the silo dead; after it the client gets an explicit error (close 1011).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages per second one socket may send, sustained; more closes it with 1008.</summary>
    [Range(1, 1_000_000)]
    public double MessagesPerSecond { get; set; } = 1000;

    /// <summary>How many messages a socket may send at once above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public double MessageBurst { get; set; } = 2000;

    /// <summary>How long a socket may stay silent, answering no ping, before the server drops it; unset means 2 × KeepAliveInterval.</summary>
    public TimeSpan? KeepAliveTimeout { get; set; }

    /// <summary>Browser origins allowed to open sockets; empty means the page's own host only; "*" means any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Sockets one front end holds at most; more are refused with 503 before the upgrade.</summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 20_000;
}
