namespace Api.Protocol;

/// <summary>What the upgrade request established for one session socket.</summary>
internal sealed record SessionSocketContext(string SessionId, string ConnectionId, long? LastSeq, bool Authorized);
