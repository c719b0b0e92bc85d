using Api.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class OutageClockTests
{
    [Fact]
    public void An_outage_lasts_from_its_first_failure_until_a_success()
    {
        var time = new FakeTimeProvider();
        var outage = new OutageClock(time);

        var first = outage.Failed();
        time.Advance(TimeSpan.FromMilliseconds(1500));
        var later = outage.Failed();
        outage.Ended();
        time.Advance(TimeSpan.FromSeconds(10));
        var afterSuccess = outage.Failed();

        Assert.Equal(TimeSpan.Zero, first);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), later);
        Assert.Equal(TimeSpan.Zero, afterSuccess);
    }
}
