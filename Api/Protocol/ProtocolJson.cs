using System.Text.Json;
using System.Text.Json.Serialization;
using Grains.Abstractions;

namespace Api.Protocol;

/// <summary>How the session socket protocol writes its messages: web (camelCase) JSON, nulls left out.</summary>
internal static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public static string TypeOf(SessionEventKind kind) => kind switch
    {
        SessionEventKind.TaskQueued => "task.queued",
        SessionEventKind.TaskStarted => "task.started",
        SessionEventKind.TaskProgress => "task.progress",
        SessionEventKind.TaskCompleted => "task.completed",
        SessionEventKind.TaskFailed => "task.failed",
        SessionEventKind.TaskCancelled => "task.cancelled",
        SessionEventKind.TaskInterrupted => "task.interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
