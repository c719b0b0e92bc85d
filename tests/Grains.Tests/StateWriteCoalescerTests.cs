namespace Grains.Tests;

public sealed class StateWriteCoalescerTests
{
    [Fact]
    public async Task Writes_asked_for_during_a_write_share_one_write_that_starts_after_it()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var writes = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new StateWriteCoalescer(async () =>
        {
            writes++;
            maxInFlight = Math.Max(maxInFlight, ++inFlight);
            await release.Task;
            inFlight--;
        });

        var first = coalescer.WriteAsync();
        var queued = Enumerable.Range(0, 5).Select(_ => coalescer.WriteAsync()).ToArray();
        release.SetResult();
        await Task.WhenAll(queued.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, writes);
        Assert.Equal(1, maxInFlight);
        Assert.All(queued, task => Assert.Same(queued[0], task));
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_write_still_runs()
    {
        var attempts = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new StateWriteCoalescer(async () =>
        {
            if (++attempts == 1)
            {
                await gate.Task;
                throw new InvalidOperationException("storage down");
            }
        });

        var failing = coalescer.WriteAsync();
        var next = coalescer.WriteAsync();
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, attempts);
    }
}
