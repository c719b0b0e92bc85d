using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

/// <summary>
/// A fake clock that reports each timer armed on it, so a test moves time once the code under test is waiting on
/// it (and by exactly what it waits for) rather than stepping the clock and hoping a continuation has run.
/// </summary>
internal sealed class TimerWatchingClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// The due time of the next timer created on this clock (including any created before the call and not yet
    /// returned), skipping those <paramref name="which"/> rejects; throws once the bounded wait passes.
    /// </summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool>? which = null, TimeSpan? within = null)
    {
        var token = Deadline.Token(within);
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(token);
            if (which is null || which(due))
            {
                return due;
            }
        }
    }
}
