using Grains.Abstractions;

namespace Grains.Tests.Parts;

public sealed class SessionRetentionRuleTests
{
    private static readonly SessionOptions Options = new();

    [Fact]
    public void A_session_with_a_token_is_kept_longer_than_one_without()
    {
        var clock = PartsClock.New();
        var retention = new SessionRetention(Options, clock);
        var open = PartsClock.NewSession(clock);
        var withToken = PartsClock.NewSession(clock);
        withToken.ResumeTokenHash = [1];

        Assert.Equal(PartsClock.Start + Options.AnonymousRetention, retention.ExpiresAt(open, inUse: false));
        Assert.Equal(PartsClock.Start + Options.Retention, retention.ExpiresAt(withToken, inUse: false));
    }

    [Fact]
    public void Retention_counts_from_the_last_activity_or_from_now_while_in_use()
    {
        var clock = PartsClock.New();
        var retention = new SessionRetention(Options, clock);
        var session = PartsClock.NewSession(clock);
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(PartsClock.Start + Options.AnonymousRetention, retention.ExpiresAt(session, inUse: false));
        Assert.Equal(clock.GetUtcNow() + Options.AnonymousRetention, retention.ExpiresAt(session, inUse: true));
    }

    [Fact]
    public void A_session_in_use_refreshes_its_expiry_before_half_its_retention_has_passed()
    {
        var clock = PartsClock.New();
        var retention = new SessionRetention(Options, clock);
        var session = PartsClock.NewSession(clock);
        session.ExpiresAt = retention.ExpiresAt(session, inUse: true);

        clock.Advance(Options.AnonymousRetention / 2 - TimeSpan.FromSeconds(1));
        var beforeHalf = retention.NeedsRefresh(session);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(beforeHalf);
        Assert.True(retention.NeedsRefresh(session));
    }

    [Fact]
    public void Stored_state_expires_at_its_expiry_unless_tasks_are_unfinished()
    {
        var clock = PartsClock.New();
        var retention = new SessionRetention(Options, clock);
        var legacy = PartsClock.NewSession(clock);
        var busy = PartsClock.NewSession(clock);
        busy.Tasks.Add(new TaskRecord { Id = "1", Kind = SessionTaskKind.Cpu, Status = SessionTaskStatus.Queued, CreatedAt = clock.GetUtcNow(), Work = 1 });

        clock.Advance(Options.AnonymousRetention - TimeSpan.FromTicks(1));
        var before = retention.HasExpired(legacy);
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.False(before);
        Assert.True(retention.HasExpired(legacy));
        Assert.True(retention.IdleTooLong(legacy));
        Assert.False(retention.HasExpired(busy));
    }

    [Fact]
    public void Only_tasks_that_may_outlive_a_reminder_period_need_the_wake_reminder()
    {
        var clock = PartsClock.New();
        var retention = new SessionRetention(Options, clock);
        var session = PartsClock.NewSession(clock);
        var tasks = new TaskRunner(() => session, new TaskOptions(), clock, new SessionEventLog(() => session, clock, capacity: 100));

        tasks.Add(TaskSpec.Sleep(SessionRetention.WakePeriod), null);
        var withShortSleep = retention.NeedsWake(session);
        tasks.Add(TaskSpec.Sleep(SessionRetention.WakePeriod + TimeSpan.FromSeconds(1)), null);

        Assert.False(withShortSleep);
        Assert.True(retention.NeedsWake(session));
    }
}
