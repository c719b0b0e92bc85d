namespace Grains.Abstractions;

[GenerateSerializer, Alias("TaskStartOutcome")]
public enum TaskStartOutcome
{
    Started = 0,
    SessionNotFound = 1,
}
