namespace Grains.Abstractions;

[GenerateSerializer, Alias("TaskCancelOutcome")]
public enum TaskCancelOutcome
{
    Cancelled = 0,
    AlreadyFinished = 1,
    NotFound = 2,
}
