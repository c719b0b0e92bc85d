using Grains.Abstractions;

namespace Api.Tasks;

/// <summary>A task as the HTTP API shows it.</summary>
internal sealed record TaskView(
    string Id,
    string Kind,
    string Status,
    int Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Seconds,
    long? Work,
    string? Result,
    string? Error,
    DisconnectPolicyView OnDisconnect)
{
    public static TaskView From(TaskRecord task) => new(
        task.Id,
        task.Kind.ToString().ToLowerInvariant(),
        task.Status.ToString().ToLowerInvariant(),
        task.Progress,
        task.CreatedAt,
        task.StartedAt,
        task.FinishedAt,
        task.Kind == SessionTaskKind.Sleep ? task.Duration.TotalSeconds : null,
        task.Kind == SessionTaskKind.Cpu ? task.Work : null,
        task.Result,
        task.Error,
        DisconnectPolicyView.Of(task.CancelAfterDisconnect));
}
