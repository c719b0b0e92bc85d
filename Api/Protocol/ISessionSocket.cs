using System.Net.WebSockets;

namespace Api.Protocol;

/// <summary>What the parts of a session socket (authentication, dispatch) may do to the socket they serve.</summary>
internal interface ISessionSocket
{
    /// <summary>Queues a message for the client; a client too slow to take it is closed.</summary>
    void Send<T>(T message);

    /// <summary>Starts the server's close handshake; later calls are ignored.</summary>
    void Close(WebSocketCloseStatus status, string description, string reason);

    /// <summary>Closes the socket because its session is gone.</summary>
    void OnSessionEnded(string reason);

    /// <summary>Registers the authenticated socket with its session, which then sends its events.</summary>
    Task StartEventsAsync();
}
