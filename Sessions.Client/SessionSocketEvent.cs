using System.Text.Json;

namespace Sessions.Client;

/// <summary>
/// One message of the socket's event stream: a task event (<c>task.started</c>, <c>task.progress</c>, ...), or
/// <c>welcome</c> (a connection began; <see cref="Replay"/> missed events follow) or <c>reset</c> (events were lost:
/// <see cref="Tasks"/> is every task as it is now).
/// </summary>
public sealed record SessionSocketEvent(string Type, long Seq, TaskInfo? Task, int Replay, string? Reason, IReadOnlyList<TaskInfo>? Tasks)
{
    public bool IsTaskEvent => Task is not null;

    internal static SessionSocketEvent From(JsonElement message, string type) => new(
        type,
        message.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
        message.TryGetProperty("task", out var task) ? task.Deserialize<TaskInfo>(ClientJson.Options) : null,
        message.TryGetProperty("replay", out var replay) ? replay.GetInt32() : 0,
        message.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
        message.TryGetProperty("tasks", out var tasks) ? tasks.Deserialize<List<TaskInfo>>(ClientJson.Options) : null);
}
