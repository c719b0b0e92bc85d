using Grains.Abstractions;

namespace Grains;

/// <summary>What an activation holds for a task that is still running: how to stop it and how to await it.</summary>
internal sealed class RunningTask : IDisposable
{
    public CancellationTokenSource Cancellation { get; } = new();

    public TaskCompletionSource<TaskRecord> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => Cancellation.Dispose();
}
