using Api.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class MessageRateLimiterTests
{
    [Fact]
    public void A_burst_passes_at_once_and_then_messages_pass_at_the_refill_rate()
    {
        var clock = new FakeTimeProvider();
        var rate = new MessageRateLimiter(perSecond: 10, burst: 5, clock);

        var burst = Enumerable.Range(0, 5).Count(_ => rate.TryTake());
        var overBurst = rate.TryTake();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var afterOneRefill = rate.TryTake();
        var beforeTheNext = rate.TryTake();

        Assert.Equal(5, burst);
        Assert.False(overBurst);
        Assert.True(afterOneRefill);
        Assert.False(beforeTheNext);
    }

    [Fact]
    public void A_quiet_socket_saves_up_no_more_than_its_burst()
    {
        var clock = new FakeTimeProvider();
        var rate = new MessageRateLimiter(perSecond: 10, burst: 5, clock);

        clock.Advance(TimeSpan.FromMinutes(1));
        var passed = Enumerable.Range(0, 20).Count(_ => rate.TryTake());

        Assert.Equal(5, passed);
    }
}
