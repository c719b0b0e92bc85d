using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Grains.Abstractions;
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
    TimeProvider clock,
    IOptions<SessionOptions> options,
    IOptions<TaskOptions> taskOptions,
    CpuWorkLimiter cpuLimiter,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private StateWriteCoalescer? _writer;
    private IGrainTimer? _housekeeping;
    private bool _dirty;

    private string SessionId => this.GetPrimaryKeyString();

    private SessionState Session => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writer = new StateWriteCoalescer(state.WriteStateAsync);
        await ResumeUnfinishedTasksAsync();
        UpdateHousekeeping();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopRunningTasks("The session was deactivated.");
        if (Session.Exists && _dirty)
        {
            await WriteAsync();
        }
    }

    public async Task<SessionSnapshot> Create()
    {
        if (!Session.Exists)
        {
            var now = clock.GetUtcNow();
            Session.Exists = true;
            Session.CreatedAt = now;
            Session.LastActiveAt = now;
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
        var now = clock.GetUtcNow();
        Session.Exists = true;
        Session.CreatedAt = now;
        Session.LastActiveAt = now;
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

        StopRunningTasks("The session was ended.");
        state.State = new SessionState();
        UpdateHousekeeping();

        // Through the coalescer first, so the removal cannot overtake a write still in flight.
        await WriteAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return true;
    }

    public Task<SessionSnapshot?> GetSnapshot() =>
        Task.FromResult(ExistsOrDeactivate() ? Snapshot() : null);

    public async Task<bool> AttachConnection(string connectionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        if (!ExistsOrDeactivate())
        {
            return false;
        }

        if (Session.OpenConnections.Add(connectionId))
        {
            Touch();
            await WriteAsync();
            UpdateHousekeeping();
        }

        return true;
    }

    public async Task DetachConnection(string connectionId)
    {
        if (Session.Exists && Session.OpenConnections.Remove(connectionId))
        {
            Touch();
            await WriteAsync();
            UpdateHousekeeping();
        }
    }

    public Task<string> Echo(string text)
    {
        if (!ExistsOrDeactivate())
        {
            throw new SessionNotFoundException($"Session {SessionId} does not exist.");
        }

        // Counters are flushed by the housekeeping timer: a write per message would cap throughput at storage speed.
        Session.EchoedMessages++;
        Touch();
        _dirty = true;
        return Task.FromResult(string.Concat("Echo: ", text));
    }

    private bool ExistsOrDeactivate()
    {
        if (Session.Exists)
        {
            return true;
        }

        // A lookup of an unknown id must not leave an activation behind.
        DeactivateOnIdle();
        return false;
    }

    private void Touch() => Session.LastActiveAt = clock.GetUtcNow();

    private SessionSnapshot Snapshot() => new()
    {
        Id = SessionId,
        CreatedAt = Session.CreatedAt,
        LastActiveAt = Session.LastActiveAt,
        OpenConnections = Session.OpenConnections.Count,
        EchoedMessages = Session.EchoedMessages,
        ActiveTasks = Session.Tasks.Count(task => !task.IsFinished),
        FinishedTasks = Session.Tasks.Count(task => task.IsFinished),
        RequiresToken = Session.ResumeTokenHash is not null,
    };

    private static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private async Task WriteAsync()
    {
        _dirty = false;
        try
        {
            await _writer!.WriteAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    /// <summary>
    /// While the session has open connections or running tasks, a timer keeps the activation alive
    /// (idle collection would otherwise drop it mid-task) and flushes changed counters.
    /// </summary>
    private void UpdateHousekeeping()
    {
        var needed = Session.OpenConnections.Count > 0 || _running.Count > 0;
        if (needed && _housekeeping is null)
        {
            var interval = options.Value.FlushInterval;
            _housekeeping = this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(interval, interval)
            {
                KeepAlive = true,
                Interleave = true,
            });
        }
        else if (!needed && _housekeeping is not null)
        {
            _housekeeping.Dispose();
            _housekeeping = null;
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }
}
