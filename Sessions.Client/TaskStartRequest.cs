using System.Text.Json.Serialization;

namespace Sessions.Client;

/// <summary>
/// The body of a task start (<c>POST /sessions/{id}/tasks</c>, or <c>task.start</c> on the socket): <see cref="Sleep"/> or
/// <see cref="Cpu"/>, optionally cancelled after the session has had no socket for a while.
/// </summary>
public sealed record TaskStartRequest(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Seconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Work = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DisconnectPolicy? OnDisconnect = null)
{
    public static TaskStartRequest Sleep(double seconds, DisconnectPolicy? onDisconnect = null) => new("sleep", Seconds: seconds, OnDisconnect: onDisconnect);

    public static TaskStartRequest Cpu(long work, DisconnectPolicy? onDisconnect = null) => new("cpu", Work: work, OnDisconnect: onDisconnect);
}

