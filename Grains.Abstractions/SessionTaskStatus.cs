namespace Grains.Abstractions;

[GenerateSerializer, Alias("SessionTaskStatus")]
public enum SessionTaskStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
    Interrupted = 5,
}
