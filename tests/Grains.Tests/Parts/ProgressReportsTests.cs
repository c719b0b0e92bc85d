using Grains.Abstractions;

namespace Grains.Tests.Parts;

public sealed class ProgressReportsTests
{
    [Fact]
    public void A_running_task_is_reported_when_its_progress_changed_and_only_then()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var tasks = new TaskRunner(() => session, new TaskOptions(), clock, new SessionEventLog(() => session, clock, capacity: 100));
        var reports = new ProgressReports(clock);
        tasks.Launch(tasks.Add(TaskSpec.Sleep(TimeSpan.FromSeconds(100)), null).Task!);
        tasks.Launch(tasks.Add(TaskSpec.Cpu(1000), null).Task!);

        var first = reports.Changed(tasks);
        var unchanged = reports.Changed(tasks);
        clock.Advance(TimeSpan.FromSeconds(30));
        var later = reports.Changed(tasks);

        // The queued cpu task is not running yet: it has no progress to report.
        Assert.Equal([0], first.Select(task => task.Progress));
        Assert.Empty(unchanged);
        Assert.Equal([30], later.Select(task => task.Progress));
    }
}
