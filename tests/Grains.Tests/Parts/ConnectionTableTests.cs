using Grains.Abstractions;

namespace Grains.Tests.Parts;

public sealed class ConnectionTableTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly ISessionObserver Observer = new NoObserver();

    [Fact]
    public void A_socket_is_new_once_and_renewed_after()
    {
        var table = new ConnectionTable(PartsClock.New(), Lease);

        var first = table.Register("a", Observer, wantsEvents: true);
        var renewal = table.Register("a", Observer, wantsEvents: true);

        Assert.True(first);
        Assert.False(renewal);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_socket_outlives_its_lease_by_nothing_unless_renewed()
    {
        var clock = PartsClock.New();
        var table = new ConnectionTable(clock, Lease);
        table.Register("renewed", Observer, wantsEvents: false);
        table.Register("silent", Observer, wantsEvents: false);

        clock.Advance(Lease - TimeSpan.FromSeconds(1));
        table.Register("renewed", Observer, wantsEvents: false);
        var atTheLease = table.RemoveUnrenewed();
        clock.Advance(TimeSpan.FromSeconds(2));
        var pastTheLease = table.RemoveUnrenewed();

        Assert.Equal(0, atTheLease);
        Assert.Equal(1, pastTheLease);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void The_time_without_sockets_starts_when_the_last_one_goes()
    {
        var clock = PartsClock.New();
        var table = new ConnectionTable(clock, Lease);
        table.Register("a", Observer, wantsEvents: false);
        table.Register("b", Observer, wantsEvents: false);

        clock.Advance(TimeSpan.FromMinutes(1));
        table.Remove("a");
        var withOneLeft = table.NoSocketSince;
        clock.Advance(TimeSpan.FromMinutes(1));
        table.Remove("b");
        var lastGone = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        table.RemoveUnrenewed();

        Assert.Equal(PartsClock.Start, withOneLeft);
        Assert.Equal(lastGone, table.NoSocketSince);
        Assert.False(table.Remove("b"));
    }

    [Fact]
    public void Removing_all_returns_every_observer_to_tell()
    {
        var table = new ConnectionTable(PartsClock.New(), Lease);
        table.Register("a", Observer, wantsEvents: true);
        table.Register("b", new NoObserver(), wantsEvents: false);

        var told = table.RemoveAll();

        Assert.Equal(2, told.Count);
        Assert.Equal(0, table.Count);
    }

    private sealed class NoObserver : ISessionObserver
    {
        public Task OnEvent(SessionEvent sessionEvent) => Task.CompletedTask;

        public Task OnSessionEnded(string reason) => Task.CompletedTask;
    }
}
