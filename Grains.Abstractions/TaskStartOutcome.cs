namespace Grains.Abstractions;

[GenerateSerializer, Alias("TaskStartOutcome")]
public enum TaskStartOutcome
{
    Started = 0,
    SessionNotFound = 1,

    /// <summary>The session already has its maximum of queued and running tasks.</summary>
    TooManyActiveTasks = 2,
}
