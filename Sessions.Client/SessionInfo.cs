namespace Sessions.Client;

/// <summary>What a session holds (<c>GET /sessions/{id}</c>); <see cref="LastSeq"/> is its latest event.</summary>
public sealed record SessionInfo(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActiveAt,
    int OpenConnections,
    long EchoedMessages,
    int ActiveTasks,
    int FinishedTasks,
    bool RequiresToken,
    long LastSeq);
