namespace Grains.Abstractions;

/// <summary>
/// The session's stored state was changed by another writer (an activation on a silo that was thought dead), so
/// this activation's copy is stale and it is leaving memory. The call changed nothing; made again, it reaches an
/// activation that reads the stored state. Callers retry it once.
/// </summary>
[GenerateSerializer, Alias("SessionStateConflictException")]
public sealed class SessionStateConflictException : Exception
{
    public SessionStateConflictException()
    {
    }

    public SessionStateConflictException(string message)
        : base(message)
    {
    }

    public SessionStateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
