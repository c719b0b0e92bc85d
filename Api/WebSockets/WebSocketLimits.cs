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
}
