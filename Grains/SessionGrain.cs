using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Grains;

// Reentrant: a session keeps answering echoes and status calls while its tasks wait, and several tasks
// of one session overlap. Every state change happens between awaits on the activation's single-threaded
// scheduler, and all writes go through one StateWriteCoalescer, so interleaved calls cannot corrupt state.
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
    private static readonly byte[] EchoPrefix = "Echo: "u8.ToArray();

    private StateWriteCoalescer? _writer;
    private readonly HashSet<IGrainTimer> _enabledTimers = [];
    private IGrainTimer? _housekeeping;
    private bool _dirty;
    private bool _held;

    private string SessionId => this.GetPrimaryKeyString();

    private SessionState Session => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        _writer = new StateWriteCoalescer(WriteStoredStateAsync);
        StartEventNumbering();
        _noSocketSince = clock.GetUtcNow();
        if (SessionRetention.HasExpired(Session, options.Value, _noSocketSince))
        {
            await ForgetExpiredAsync();
        }

        await ResumeUnfinishedTasksAsync();
        UpdateTimers();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        try
        {
            StopRunningTasks("The session was deactivated.");
            if (_stateLost)
            {
                await KeepUnstoredEchoesAsync();
                return;
            }

            if (Session.Exists && _dirty)
            {
                await WriteAsync();
            }
        }
        finally
        {
            // The activation's timers and socket registrations go with it.
            metrics.ConnectionsChanged(-_connections.Count);
            metrics.TimersChanged(-_enabledTimers.Count);
            _enabledTimers.Clear();
        }
    }

    public async Task<SessionSnapshot> Create()
    {
        if (!Session.Exists)
        {
            Begin();
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

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Begin();
        Session.ResumeTokenHash = HashToken(token);
        await WriteAsync();
        return new SessionCreated { Session = Snapshot(), ResumeToken = token };
    }

    public Task<bool> Authorize(string? resumeToken)
    {
        if (!ExistsOrDeactivate())
        {
            return Task.FromResult(false);
        }

        var granted = Session.ResumeTokenHash is not { } expected
            || (resumeToken is not null && CryptographicOperations.FixedTimeEquals(HashToken(resumeToken), expected));
        return Task.FromResult(granted);
    }

    public async Task<bool> Delete()
    {
        if (!ExistsOrDeactivate())
        {
            return false;
        }

        await EndAsync("The session was ended.");
        return true;
    }

    public Task<SessionSnapshot?> GetSnapshot() =>
        Task.FromResult(ExistsOrDeactivate() ? Snapshot() : null);

    public Task<string> Echo(string text, CancellationToken cancellationToken)
    {
        CountEcho();
        return Task.FromResult(string.Concat("Echo: ", text));
    }

    public Task<byte[]> EchoUtf8(ReadOnlyMemory<byte> text, CancellationToken cancellationToken)
    {
        CountEcho();
        var reply = new byte[EchoPrefix.Length + text.Length];
        EchoPrefix.CopyTo(reply, 0);
        text.Span.CopyTo(reply.AsSpan(EchoPrefix.Length));
        return Task.FromResult(reply);
    }

    private void CountEcho()
    {
        if (!ExistsOrDeactivate())
        {
            throw new SessionNotFoundException($"Session {SessionId} does not exist.");
        }

        // Counters are flushed by the housekeeping timer: a write per message would cap throughput at storage speed.
        CountEchoes(1);
        Touch();
        _dirty = true;
    }

    private void Begin()
    {
        var now = clock.GetUtcNow();
        Session.Exists = true;
        Session.CreatedAt = now;
        Session.LastActiveAt = now;
    }

    /// <summary>Removes the session: tasks stop, sockets are told, stored state and reminders go.</summary>
    private async Task EndAsync(string reason)
    {
        // Their records go with the session, but operators still see them end, as cancelled.
        foreach (var unfinished in Session.Tasks.Where(task => !task.IsFinished))
        {
            metrics.TaskFinished(unfinished with { Status = SessionTaskStatus.Cancelled, FinishedAt = clock.GetUtcNow() });
        }

        StopRunningTasks(reason);
        EndConnections(reason);
        state.State = new SessionState();
        UpdateTimers();

        // Through the coalescer first, so the removal cannot overtake a write still in flight.
        await WriteAsync();
        await ClearStoredStateAsync();
        await ForgetRemindersAsync();
        DeactivateOnIdle();
    }

    private bool ExistsOrDeactivate()
    {
        ThrowIfStateLost();
        if (Session.Exists && (InUse || !SessionRetention.IdleTooLong(Session, options.Value, clock.GetUtcNow())))
        {
            return true;
        }

        if (Session.Exists)
        {
            // Past its retention a session answers like an unknown one, even while its activation lingers.
            _ = ForgetExpiredAsync();
        }

        // A lookup of an unknown id must not leave an activation behind.
        DeactivateOnIdle();
        return false;
    }

    /// <summary>Sockets and unfinished tasks keep a session in use: it neither expires nor leaves memory.</summary>
    private bool InUse => _connections.Count > 0 || _running.Count > 0;

    /// <summary>
    /// A session without a token that nothing uses leaves memory at once (its state stays in the store), so sessions
    /// made by traffic (<c>GET /process</c>, <c>/ws</c>) do not pile up activations for the idle timeout.
    /// </summary>
    private void LeaveMemoryIfUnused()
    {
        if (!InUse && (!Session.Exists || Session.ResumeTokenHash is null))
        {
            DeactivateOnIdle();
        }
    }

    private async Task ForgetExpiredAsync()
    {
        Log.SessionExpired(logger, SessionId, Session.LastActiveAt);
        state.State = new SessionState();
        _dirty = false;
        try
        {
            // The store may still hold it (written while in use, with a later expiry); it must not come back.
            await _writer!.WriteAsync();
            await ClearStoredStateAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }

    private void Touch() => Session.LastActiveAt = clock.GetUtcNow();

    private SessionSnapshot Snapshot() => new()
    {
        Id = SessionId,
        CreatedAt = Session.CreatedAt,
        LastActiveAt = Session.LastActiveAt,
        OpenConnections = _connections.Count,
        EchoedMessages = Session.EchoedMessages,
        ActiveTasks = Session.Tasks.Count(task => !task.IsFinished),
        FinishedTasks = Session.Tasks.Count(task => task.IsFinished),
        RequiresToken = Session.ResumeTokenHash is not null,
        LastSeq = Session.LastSeq,
    };

    private static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private async Task WriteAsync()
    {
        _dirty = false;
        if (Session.Exists)
        {
            // Unfinished tasks count even when this activation no longer runs them (it is deactivating): the
            // next activation resumes them, so the state must outlive the hand-over.
            Session.ExpiresAt = SessionRetention.ExpiresAt(Session, options.Value, clock.GetUtcNow(), InUse || Session.HasUnfinishedTasks);
        }

        var reserved = Session.SeqReserved;
        try
        {
            await _writer!.WriteAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }

        _durableSeqReserved = Math.Max(_durableSeqReserved, reserved);
    }

    /// <summary>Starts or stops the timers that only a busy session needs.</summary>
    private void UpdateTimers()
    {
        UpdateHousekeeping();
        UpdateProgressTimer();
        UpdateDisconnectTimer();
    }

    /// <summary>
    /// While the session has open sockets or tasks that outlast one tick, a timer keeps the activation alive
    /// (idle collection would otherwise drop it mid-task), flushes changed counters and expires
    /// sockets whose front end stopped renewing them.
    /// </summary>
    private void UpdateHousekeeping()
    {
        var interval = Min(options.Value.FlushInterval, options.Value.ConnectionLease / 2);
        SetPeriodicTimer(ref _housekeeping, _connections.Count > 0 || WorkOutlasts(interval), HousekeepingAsync, interval, keepAlive: true);

        // A sleep that ends before the first tick is covered by the hold alone: it lasts one lease, twice the interval.
        HoldInMemory(_connections.Count > 0 || _running.Count > 0);
    }

    // The timer's ticks alone count as activity only from the end of the last tick, so a thread-pool stall longer
    // than the idle timeout could let idle collection take a session whose socket is open. An explicit hold for one
    // connection lease, renewed at every tick, makes that a matter of the lease, not of scheduling.
    private void HoldInMemory(bool hold)
    {
        if (hold)
        {
            DelayDeactivation(options.Value.ConnectionLease);
            _held = true;
        }
        else if (_held)
        {
            DelayDeactivation(TimeSpan.Zero);
            _held = false;
        }
    }

    /// <summary>
    /// Starts or pauses a periodic timer. A paused timer is kept and later re-armed with Change, because
    /// this can run inside the timer's own callback, where disposing it is not safe.
    /// </summary>
    private void SetPeriodicTimer(ref IGrainTimer? timer, bool enabled, Func<CancellationToken, Task> callback, TimeSpan interval, bool keepAlive)
    {
        if (enabled == (timer is not null && _enabledTimers.Contains(timer)))
        {
            return;
        }

        if (!enabled)
        {
            timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _enabledTimers.Remove(timer);
            metrics.TimersChanged(-1);
            return;
        }

        timer ??= this.RegisterGrainTimer(callback, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            KeepAlive = keepAlive,
            Interleave = true,
        });
        timer.Change(interval, interval);
        _enabledTimers.Add(timer);
        metrics.TimersChanged(1);
    }

    private async Task HousekeepingAsync(CancellationToken cancellationToken)
    {
        ExpireConnections();
        HoldInMemory(InUse);
        _dirty |= Session.Exists && InUse && SessionRetention.NeedsRefresh(Session, options.Value, clock.GetUtcNow());
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteAsync();
            Publish();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
