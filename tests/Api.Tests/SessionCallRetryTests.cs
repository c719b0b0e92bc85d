using Api.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class SessionCallRetryTests
{
    private static readonly WebSocketLimits Limits = new() { RetryWindow = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_call_that_meets_a_moving_session_is_retried_with_growing_backoff_until_it_is_answered()
    {
        var (reply, attempts) = await CallAsync(failures: 3);

        Assert.Equal("answered", await reply);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(1400)], attempts);
    }

    [Fact]
    public async Task A_session_that_stays_unreachable_fails_the_call_once_the_next_retry_would_pass_the_window()
    {
        var (reply, attempts) = await CallAsync(failures: int.MaxValue);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => reply);

        // 0.2, 0.4, 0.8 and 1.6 s apart; the next wait (2 s, the cap) would end at the 5 s window.
        Assert.Equal(TimeSpan.FromMilliseconds(3000), attempts[^1]);
        Assert.Equal(5, attempts.Count);
    }

    /// <summary>
    /// Makes a call whose first <paramref name="failures"/> attempts find no silo; each time it waits for its backoff,
    /// moves a fake clock by exactly the wait it armed, until the call has finished; returns it and when each attempt was made.
    /// </summary>
    private static async Task<(Task<string> Reply, List<TimeSpan> Attempts)> CallAsync(int failures)
    {
        var clock = new TimerWatchingClock();
        using var retry = new SessionCallRetry(Limits, clock, CancellationToken.None);
        var started = clock.GetUtcNow();
        var attempts = new List<TimeSpan>();

        var reply = retry.CallAsync(attempts, failures, (log, failing, _) =>
        {
            log.Add(clock.GetUtcNow() - started);
            return log.Count <= failing ? Task.FromException<string>(new SiloUnavailableException()) : Task.FromResult("answered");
        }).AsTask();
        for (var step = 0; step < 100 && !reply.IsCompleted; step++)
        {
            // Bounded: a retry that neither finishes nor arms its backoff fails the test here.
            var backoff = clock.NextTimerAsync();
            if (await Task.WhenAny(reply, backoff) != reply)
            {
                clock.Advance(await backoff);
            }
        }

        Assert.True(reply.IsCompleted, "the call was still retrying after 100 backoffs");
        return (reply, attempts);
    }
}
