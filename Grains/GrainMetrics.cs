using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains.Abstractions;

namespace Grains;

/// <summary>The silo side of the service's meter: sessions in memory, tasks and the CPU queue.</summary>
internal sealed class GrainMetrics
{
    public const string MeterName = "Sessions.Grains";

    private readonly UpDownCounter<long> _active;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _timers;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;

    public GrainMetrics(IMeterFactory meters, CpuWorkLimiter cpu)
    {
        var meter = meters.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("sessions.active", "{session}", "Session grains in memory in this silo.");
        _connections = meter.CreateUpDownCounter<long>(
            "sessions.connections", "{socket}", "Sockets registered with the session grains of this silo (open, or leased and not yet expired).");
        _timers = meter.CreateUpDownCounter<long>("sessions.timers.active", "{timer}", "Periodic session timers running in this silo.");
        _started = meter.CreateCounter<long>("sessions.tasks.started", "{task}", "Tasks started, by task.kind.");
        _finished = meter.CreateCounter<long>("sessions.tasks.finished", "{task}", "Tasks finished, by task.kind and task.outcome.");
        _duration = meter.CreateHistogram(
            "sessions.task.duration",
            "s",
            "Time from a task's creation to its end, by task.kind and task.outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] });
        meter.CreateObservableUpDownCounter("sessions.cpu.queue.length", () => cpu.Waiting, "{task}", "CPU tasks waiting for a slot in this silo.");
    }

    public void Activated() => _active.Add(1);

    public void Deactivated() => _active.Add(-1);

    public void ConnectionsChanged(int delta) => _connections.Add(delta);

    public void TimersChanged(int delta)
    {
        if (delta != 0)
        {
            _timers.Add(delta);
        }
    }

    public void TaskStarted(SessionTaskKind kind) => _started.Add(1, new KeyValuePair<string, object?>("task.kind", Name(kind)));

    public void TaskFinished(TaskRecord task)
    {
        var tags = new TagList { { "task.kind", Name(task.Kind) }, { "task.outcome", task.Status.ToString().ToLowerInvariant() } };
        _finished.Add(1, tags);
        if (task.FinishedAt is { } finished)
        {
            _duration.Record((finished - task.CreatedAt).TotalSeconds, tags);
        }
    }

    /// <param name="tasks">A list, not a sequence: a loop over it allocates no enumerator.</param>
    public void TasksFinished(List<TaskRecord> tasks)
    {
        foreach (var task in tasks)
        {
            TaskFinished(task);
        }
    }

    private static string Name(SessionTaskKind kind) => kind == SessionTaskKind.Sleep ? "sleep" : "cpu";
}
