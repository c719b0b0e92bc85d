namespace Sessions.Client;

/// <summary>A session and its resume token; <see cref="Token"/> is null for sessions that /process or /ws created.</summary>
public sealed record SessionCredentials(string Id, string? Token);
