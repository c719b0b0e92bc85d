namespace Sessions.Client;

/// <summary>A task as the service reports it (<c>GET /sessions/{id}/tasks/{taskId}</c>, and in every task event).</summary>
public sealed record TaskInfo(
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
    string? Error)
{
    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled" or "interrupted";
}
