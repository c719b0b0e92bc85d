using Grains.Abstractions;

namespace Grains;

/// <summary>The work a task does: a sleep on the session's clock, or hashing on a thread of its own behind the silo's bound.</summary>
internal static class TaskWork
{
    public static DateTimeOffset SleepEnd(TaskRecord record) => (record.StartedAt ?? record.CreatedAt) + record.Duration;

    /// <returns>Succeeded, or Cancelled when the task was cancelled first.</returns>
    public static async Task<SessionTaskStatus> SleepAsync(TaskRecord record, RunningTask running, TimeProvider clock)
    {
        var until = SleepEnd(record);
        try
        {
            // A timer may fire a little early by the wall clock; the recorded times must honour the full wait.
            for (var left = until - clock.GetUtcNow(); left > TimeSpan.Zero; left = until - clock.GetUtcNow())
            {
                await Task.Delay(left, clock, running.Cancellation.Token);
            }

            return SessionTaskStatus.Succeeded;
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            return SessionTaskStatus.Cancelled;
        }
    }

    /// <param name="started">Called once the task holds a slot, before the work begins.</param>
    /// <returns>The outcome, the digest of work that succeeded, and the exception of work that failed.</returns>
    public static async Task<(SessionTaskStatus Outcome, string? Result, Exception? Failure)> ComputeAsync(
        long rounds, RunningTask running, CpuWorkLimiter limiter, Func<RunningTask, Task> started)
    {
        var token = running.Cancellation.Token;
        try
        {
            await limiter.WaitAsync(token);
            try
            {
                token.ThrowIfCancellationRequested();
                await started(running);
                return (SessionTaskStatus.Succeeded, await CpuWork.RunOnOwnThreadAsync(rounds, running, token), null);
            }
            finally
            {
                limiter.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return (SessionTaskStatus.Cancelled, null, null);
        }
        catch (Exception exception)
        {
            running.Fail($"The work failed: {exception.Message}");
            return (SessionTaskStatus.Failed, null, exception);
        }
    }
}
