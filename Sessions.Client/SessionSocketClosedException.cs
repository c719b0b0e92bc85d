using System.Net.WebSockets;

namespace Sessions.Client;

/// <summary>The socket closed for good: the session ended, or the service refused this client (reconnecting would not help).</summary>
public sealed class SessionSocketClosedException : Exception
{
    public SessionSocketClosedException(WebSocketCloseStatus? status, string? description)
        : base($"The session socket closed for good ({(int?)status} {description}).")
    {
        Status = status;
        Description = description;
    }

    public SessionSocketClosedException()
        : this((WebSocketCloseStatus?)null, null)
    {
    }

    public SessionSocketClosedException(string message)
        : base(message)
    {
    }

    public SessionSocketClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebSocketCloseStatus? Status { get; }

    public string? Description { get; }
}
