using Api.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class SessionCallRetryTests
{
    private static readonly WebSocketLimits Limits = new() { RetryWindow = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_call_that_meets_a_moving_session_is_retried_with_growing_backoff_until_it_is_answered()
    {
        var clock = new FakeTimeProvider();
        using var retry = new SessionCallRetry(Limits, clock, CancellationToken.None);
        var attempts = new List<TimeSpan>();
        var started = clock.GetUtcNow();

        var reply = retry.CallAsync(attempts, 3, (log, failures, _) =>
        {
            log.Add(clock.GetUtcNow() - started);
            return log.Count <= failures ? Task.FromException<string>(new SiloUnavailableException()) : Task.FromResult("answered");
        }).AsTask();
        await MoveClockUntilAsync(clock, reply);

        Assert.Equal("answered", await reply);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(1400)], attempts);
    }

    [Fact]
    public async Task A_session_that_stays_unreachable_fails_the_call_once_the_next_retry_would_pass_the_window()
    {
        var clock = new FakeTimeProvider();
        using var retry = new SessionCallRetry(Limits, clock, CancellationToken.None);
        var attempts = new List<TimeSpan>();
        var started = clock.GetUtcNow();

        var reply = retry.CallAsync(attempts, 0, (log, _, _) =>
        {
            log.Add(clock.GetUtcNow() - started);
            return Task.FromException<string>(new SiloUnavailableException());
        }).AsTask();
        await MoveClockUntilAsync(clock, reply);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => reply);

        // 0.2, 0.4, 0.8 and 1.6 s apart; the next wait (2 s, the cap) would end at the 5 s window.
        Assert.Equal(TimeSpan.FromMilliseconds(3000), attempts[^1]);
        Assert.Equal(5, attempts.Count);
    }

    /// <summary>Moves the fake clock in small steps until the call has finished, bounded in steps and in real time.</summary>
    private static async Task MoveClockUntilAsync(FakeTimeProvider clock, Task call)
    {
        for (var step = 0; step < 1000 && !call.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(call, Task.Delay(5));
        }
    }
}
