using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Grains;

// Reentrant: a session keeps answering echoes and status calls while its tasks wait, and several tasks of one
// session overlap. Every change happens between awaits on the activation's single-threaded scheduler, in the parts
// below (each the one owner of what it changes), and all writes go through one StateWriteCoalescer.
[Reentrant]
internal sealed partial class SessionGrain(
    [PersistentState("session", SessionStorage.Name)] IPersistentState<SessionState> state,
    [FromKeyedServices(SessionClock.Key)] TimeProvider clock,
    IOptions<SessionOptions> options,
    IOptions<TaskOptions> taskOptions,
    CpuWorkLimiter cpuLimiter,
    GrainMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private readonly TimeProvider _clock = clock;
    private readonly SessionOptions _options = options.Value;
    private readonly SessionRetention _retention = new(options.Value, clock);
    private readonly ConnectionTable _sockets = new(clock, options.Value.ConnectionLease);
    private readonly SessionEventLog _events = new(() => state.State, clock, options.Value.EventLog);
    private readonly TaskOptions _taskOptions = taskOptions.Value;
    private readonly ActivationHold _hold = new(options.Value);

    // Set at activation, before any call: they need the activation or the parts above.
    private TaskRunner _tasks = null!;
    private SessionStore _store = null!;
    private WakeReminder _wake = null!;
    private TaskClocks _taskClocks = null!;
    private GrainTimerSwitch _housekeeping = null!;

    private string SessionId => this.GetPrimaryKeyString();

    private SessionState Session => state.State;

    /// <summary>Sockets and unfinished tasks keep a session in use: it neither expires nor leaves memory.</summary>
    private bool InUse => _sockets.Count > 0 || _tasks.Count > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        _tasks = new TaskRunner(() => state.State, _taskOptions, _clock, _events);
        _store = new SessionStore(state, SessionId, _retention, _events, _clock, logger, StopAsLost);
        _wake = new WakeReminder(this, state, _retention, logger);
        _housekeeping = new GrainTimerSwitch(this, HousekeepingAsync, keepAlive: true);
        _taskClocks = new TaskClocks(_clock, _taskOptions.ProgressInterval, _tasks, _sockets, ReportProgressAsync, CancelAbandonedTasks);
        _events.Resume();
        await _store.ForgetIfExpiredAsync();
        await ResumeUnfinishedTasksAsync();
        UpdateTimers();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        try
        {
            _tasks.StopAll("The session was deactivated.");
            metrics.TimersChanged(_taskClocks.Stop());
            await _store.StoreLastChangesAsync(InUse);
        }
        finally
        {
            // The activation's timers and socket registrations go with it.
            metrics.ConnectionsChanged(-_sockets.Count);
            metrics.TimersChanged(_housekeeping.IsOn ? -1 : 0);
        }
    }

    public async Task<SessionSnapshot> Create()
    {
        if (!Session.Exists)
        {
            _store.MarkCreated();
            await WriteAsync();
        }

        return Snapshot();
    }

    public async Task<SessionCreated?> CreateWithResumeToken()
    {
        if (Session.Exists)
        {
            return null;
        }

        var (token, hash) = ResumeToken.New();
        _store.MarkCreated(hash);
        await WriteAsync();
        return new SessionCreated { Session = Snapshot(), ResumeToken = token };
    }

    public Task<bool> Authorize(string? resumeToken) =>
        Task.FromResult(ExistsElseLeaveMemory() && ResumeToken.Admits(Session.ResumeTokenHash, resumeToken));

    public async Task<bool> Delete()
    {
        if (ExistsElseLeaveMemory())
        {
            await EndAsync("The session was ended.");
            return true;
        }

        return false;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await _wake.ReceiveAsync(reminderName))
        {
            LeaveMemoryIfUnused();
        }
    }

    public Task<SessionSnapshot?> GetSnapshot() => Task.FromResult(ExistsElseLeaveMemory() ? Snapshot() : null);

    public Task<string> Echo(string text, CancellationToken cancellationToken)
    {
        CountEcho();
        return Task.FromResult(EchoReplies.Of(text));
    }

    public Task<byte[]> EchoUtf8(ReadOnlyMemory<byte> text, CancellationToken cancellationToken)
    {
        CountEcho();
        return Task.FromResult(EchoReplies.Of(text.Span));
    }

    private void CountEcho()
    {
        if (!ExistsElseLeaveMemory())
        {
            throw new SessionNotFoundException($"Session {SessionId} does not exist.");
        }

        // Counted in memory and stored by the housekeeping timer: a write per message would cap throughput at storage speed.
        _store.CountEcho();
    }

    /// <summary>Otherwise the activation leaves memory: a lookup of an unknown id must not leave one behind.</summary>
    private bool ExistsElseLeaveMemory()
    {
        if (_store.ExistsWithinRetention(InUse))
        {
            return true;
        }

        DeactivateOnIdle();
        return false;
    }

    private void LeaveMemoryIfUnused()
    {
        if (ActivationHold.LeavesAtOnce(Session, InUse))
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Removes the session: tasks stop, sockets are told, stored state and reminders go.</summary>
    private async Task EndAsync(string reason)
    {
        metrics.TasksFinished(_tasks.End(reason));
        var observers = _sockets.RemoveAll();
        metrics.ConnectionsChanged(-observers.Count);
        foreach (var observer in observers)
        {
            _ = observer.OnSessionEnded(reason);
        }

        _store.Reset();
        UpdateTimers();
        await _store.ClearAfterWriteAsync();
        await _wake.RemoveAsync();
        DeactivateOnIdle();
    }

    /// <summary>The write refused for its ETag: its tasks are stored as unfinished, the next activation resumes them.</summary>
    private void StopAsLost()
    {
        // Stopping them here releases waiting calls, so the activation goes at once instead of after the longest wait.
        _tasks.StopAll("The session's state changed in storage under another activation.");
        UpdateTimers();
        DeactivateOnIdle();
    }

    private SessionSnapshot Snapshot() => SessionSnapshots.Of(SessionId, Session, _sockets.Count);
}
