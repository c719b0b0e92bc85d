using System.Net.WebSockets;
using Api.Protocol;

namespace Api.Tests;

/// <summary>A session socket's parts see the socket only through <see cref="ISessionSocket"/>; this one records what they did.</summary>
internal sealed class RecordingSessionSocket : ISessionSocket
{
    public List<object?> Sent { get; } = [];

    public List<(WebSocketCloseStatus Status, string Description)> Closes { get; } = [];

    public int EventStarts { get; private set; }

    public void Send<T>(T message) => Sent.Add(message);

    public void Close(WebSocketCloseStatus status, string description, string reason) => Closes.Add((status, description));

    public void OnSessionEnded(string reason) => Closes.Add((WebSocketCloseStatus.NormalClosure, reason));

    public Task StartEventsAsync()
    {
        EventStarts++;
        return Task.CompletedTask;
    }
}
