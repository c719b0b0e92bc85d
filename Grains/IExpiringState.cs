namespace Grains;

/// <summary>What a session store reads from the state it holds to drop what nobody will read again.</summary>
public interface IExpiringState
{
    /// <summary>After this the state answers like an unknown session; the store may remove it.</summary>
    DateTimeOffset ExpiresAt { get; }

    /// <summary>The last activity; a full store drops the state idle longest first.</summary>
    DateTimeOffset LastActiveAt { get; }

    /// <summary>Unfinished tasks are the session's promise to finish them: such state is never dropped for room.</summary>
    bool HasUnfinishedTasks { get; }
}
