namespace Grains.Tests.Parts;

public sealed class ClockWaitTests
{
    [Fact]
    public async Task An_alarm_rings_when_the_clock_reaches_its_due_time_and_a_moved_one_only_then()
    {
        var clock = PartsClock.New();
        var alarm = new ClockAlarm(clock);
        var rang = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        alarm.Set(PartsClock.Start + TimeSpan.FromMinutes(1), () => rang.TrySetResult(clock.GetUtcNow()));
        alarm.Set(PartsClock.Start + TimeSpan.FromMinutes(2), () => rang.TrySetResult(clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromMinutes(1));
        var early = rang.Task.IsCompleted;
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(early);
        Assert.Equal(PartsClock.Start + TimeSpan.FromMinutes(2), await rang.Task.WaitAsync(Deadline.Default));
        Assert.Null(alarm.Due);
    }

    [Fact]
    public async Task A_ticker_ticks_once_an_interval_until_stopped()
    {
        var clock = PartsClock.New();
        var ticker = new ClockTicker(clock, TimeSpan.FromSeconds(1));
        var ticks = System.Threading.Channels.Channel.CreateUnbounded<DateTimeOffset>();
        ticker.Run(wanted: true, () => ticks.Writer.WriteAsync(clock.GetUtcNow()).AsTask());

        clock.Advance(TimeSpan.FromMilliseconds(999));
        var early = ticks.Reader.TryRead(out _);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var first = await ticks.Reader.ReadAsync(Deadline.Token());
        var stopped = ticker.Stop();
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(early);
        Assert.Equal(PartsClock.Start + TimeSpan.FromSeconds(1), first);
        Assert.True(stopped);
        Assert.False(ticks.Reader.TryRead(out _));
    }
}
