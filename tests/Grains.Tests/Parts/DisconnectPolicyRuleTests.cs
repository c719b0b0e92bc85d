using Grains.Abstractions;

namespace Grains.Tests.Parts;

public sealed class DisconnectPolicyRuleTests
{
    private static readonly TimeSpan Allowance = TimeSpan.FromMinutes(1);
    private static readonly TaskSpec Policed = TaskSpec.Sleep(TimeSpan.FromHours(1)) with { CancelAfterDisconnect = Allowance };

    [Fact]
    public void The_deadline_counts_from_the_last_socket_leaving_and_only_while_none_is_open()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var tasks = new TaskRunner(() => session, new TaskOptions(), clock, new SessionEventLog(() => session, clock, capacity: 100));
        var sockets = new ConnectionTable(clock, TimeSpan.FromSeconds(30));
        sockets.Register("a", null!, wantsEvents: false);
        var running = tasks.Launch(tasks.Add(Policed, null).Task!);

        var withSocket = DisconnectPolicy.Earliest(tasks, sockets);
        clock.Advance(TimeSpan.FromMinutes(5));
        sockets.Remove("a");
        var afterLeaving = DisconnectPolicy.Earliest(tasks, sockets);
        clock.Advance(Allowance - TimeSpan.FromSeconds(1));
        DisconnectPolicy.CancelDue(tasks, sockets, clock.GetUtcNow());
        var cancelledEarly = running.Cancellation.IsCancellationRequested;
        clock.Advance(TimeSpan.FromSeconds(1));
        DisconnectPolicy.CancelDue(tasks, sockets, clock.GetUtcNow());

        Assert.Null(withSocket);
        Assert.Equal(PartsClock.Start + TimeSpan.FromMinutes(5) + Allowance, afterLeaving);
        Assert.False(cancelledEarly);
        Assert.True(running.Cancellation.IsCancellationRequested);
        Assert.Contains("onDisconnect", running.CancelReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_started_with_no_socket_gets_its_full_allowance_from_its_start_and_others_are_untouched()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var tasks = new TaskRunner(() => session, new TaskOptions(), clock, new SessionEventLog(() => session, clock, capacity: 100));
        var sockets = new ConnectionTable(clock, TimeSpan.FromSeconds(30));
        var unpoliced = tasks.Launch(tasks.Add(TaskSpec.Sleep(TimeSpan.FromHours(1)), null).Task!);
        clock.Advance(TimeSpan.FromMinutes(10));
        tasks.Launch(tasks.Add(Policed, null).Task!);

        var deadline = DisconnectPolicy.Earliest(tasks, sockets);
        clock.Advance(TimeSpan.FromHours(1));
        DisconnectPolicy.CancelDue(tasks, sockets, clock.GetUtcNow());

        Assert.Equal(PartsClock.Start + TimeSpan.FromMinutes(10) + Allowance, deadline);
        Assert.False(unpoliced.Cancellation.IsCancellationRequested);
        Assert.Null(DisconnectPolicy.Earliest(tasks, sockets));
    }
}
