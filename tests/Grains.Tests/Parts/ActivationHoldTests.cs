namespace Grains.Tests.Parts;

public sealed class ActivationHoldTests
{
    [Theory]
    [InlineData(30, 30)]
    [InlineData(1, 30)]
    [InlineData(60, 3)]
    public void A_session_in_use_is_held_without_a_gap_from_tick_to_tick(int flushSeconds, int leaseSeconds)
    {
        var options = new SessionOptions { FlushInterval = TimeSpan.FromSeconds(flushSeconds), ConnectionLease = TimeSpan.FromSeconds(leaseSeconds) };
        var clock = PartsClock.New();
        var hold = new ActivationHold(options);
        var heldUntil = clock.GetUtcNow() + hold.Next(inUse: true)!.Value;

        // However late a tick runs within the interval, the hold it renews has not lapsed yet; even a missed tick is covered.
        for (var tick = 0; tick < 10; tick++)
        {
            clock.Advance(ActivationHold.TickInterval(options));
            Assert.True(heldUntil - clock.GetUtcNow() >= ActivationHold.TickInterval(options));
            heldUntil = clock.GetUtcNow() + hold.Next(inUse: true)!.Value;
        }
    }

    [Fact]
    public void A_session_no_longer_in_use_is_released_at_once_and_one_never_held_asks_nothing()
    {
        var hold = new ActivationHold(new SessionOptions());
        Assert.Null(hold.Next(inUse: false));

        hold.Next(inUse: true);
        Assert.Equal(TimeSpan.Zero, hold.Next(inUse: false));
        Assert.Null(hold.Next(inUse: false));
    }
}
