using Grains.Abstractions;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Grains;

/// <summary>
/// One activation's access to a session's stored state: writes serialized through a <see cref="StateWriteCoalescer"/>
/// and stamped with the session's expiry, what changed since the last write, storage failures turned into the
/// exceptions callers understand, and echoes counted since the last write kept apart. A successful write tells the
/// <see cref="SessionEventLog"/> which event numbers are reserved in storage. A write refused for its ETag means another activation wrote meanwhile (one on a silo that hung and came
/// back): this copy can never be written again, so <paramref name="onLost"/> stops the activation's work and every
/// later call is told to call again, which reaches an activation that reads the stored state.
/// Only for use on the activation's own scheduler.
/// </summary>
internal sealed class SessionStore(
    IPersistentState<SessionState> state,
    string sessionId,
    SessionRetention retention,
    SessionEventLog events,
    TimeProvider clock,
    ILogger logger,
    Action onLost)
{
    private StateWriteCoalescer? _writer;
    private long _echoesUnstored;
    private bool _changed;

    public bool IsLost { get; private set; }

    /// <summary>Whether memory holds changes the store has not: echo counts, activity, events.</summary>
    public bool HasUnstoredChanges => _changed || events.HasUnstored;

    public SessionState State => state.State;

    /// <summary>Forgets the session in memory, with its unsent events; the next write stores it as gone.</summary>
    public void Reset()
    {
        state.State = new SessionState();
        events.DropUnsent();
    }

    /// <summary>
    /// Forgets a session past its retention, in memory and in the store: the store may still hold it (written while
    /// in use, with a later expiry), and it must not come back. A failure is logged; the store's expiry remains.
    /// </summary>
    private async Task ForgetExpiredAsync()
    {
        Log.SessionExpired(logger, sessionId, state.State.LastActiveAt);
        Reset();
        await LogFailureAsync(ClearAfterWriteAsync());
    }

    /// <summary>At activation: a session stored past its retention is forgotten before anything reads it.</summary>
    public Task ForgetIfExpiredAsync() => retention.HasExpired(state.State) ? ForgetExpiredAsync() : Task.CompletedTask;

    /// <summary>
    /// Whether the session exists and is within its retention (one in use always is). One past it is forgotten in the
    /// store too, even from a [ReadOnly] call: from now on it answers like an unknown one, and it must not come back.
    /// </summary>
    public bool ExistsWithinRetention(bool inUse)
    {
        ThrowIfLost();
        if (!state.State.Exists)
        {
            return false;
        }

        if (inUse || !retention.IdleTooLong(state.State))
        {
            return true;
        }

        _ = ForgetExpiredAsync();
        return false;
    }

    /// <summary>Creates the session in memory, as of now; the caller writes it.</summary>
    public void MarkCreated(byte[]? resumeTokenHash = null)
    {
        state.State.Exists = true;
        state.State.CreatedAt = state.State.LastActiveAt = clock.GetUtcNow();
        state.State.ResumeTokenHash = resumeTokenHash;
    }

    /// <summary>The session was used now: a change the next write stores, with nothing that needs it stored sooner.</summary>
    public void MarkActive()
    {
        state.State.LastActiveAt = clock.GetUtcNow();
        _changed = true;
    }

    public void CountEcho()
    {
        state.State.EchoedMessages++;
        _echoesUnstored++;
        MarkActive();
    }

    public void ThrowIfLost()
    {
        if (IsLost)
        {
            throw new SessionStateConflictException($"Session {sessionId} changed in storage under another activation; call again.");
        }
    }

    /// <summary>
    /// Writes the state as it is when the write starts, with the expiry it has now; one asked for while another runs
    /// waits for it. A failed write leaves the changes pending.
    /// </summary>
    public Task WriteAsync(bool inUse)
    {
        if (state.State.Exists)
        {
            state.State.ExpiresAt = retention.ExpiresAt(state.State, inUse);
        }

        return (_writer ??= new StateWriteCoalescer(WriteNowAsync)).WriteAsync();
    }

    /// <summary>Removes the stored state, once a write of the state as it is now (through the coalescer, so it cannot overtake one in flight).</summary>
    public async Task ClearAfterWriteAsync()
    {
        await WriteAsync(inUse: false);
        ThrowIfLost();
        try
        {
            await state.ClearStateAsync();
        }
        catch (OrleansException exception)
        {
            throw Failure(exception);
        }
    }

    /// <summary>
    /// At deactivation: stores what changed; a lost copy instead adds the echoes it counted but never stored to the
    /// state stored by the activation that replaced it.
    /// </summary>
    public Task StoreLastChangesAsync(bool inUse) =>
        IsLost ? LogFailureAsync(KeepUnstoredEchoesAsync())
        : state.State.Exists && HasUnstoredChanges ? WriteAsync(inUse)
        : Task.CompletedTask;

    /// <summary>For background paths, where a failed write is logged and tried again by the next flush rather than thrown.</summary>
    public async Task LogFailureAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, sessionId, exception);
        }
    }

    private async Task KeepUnstoredEchoesAsync()
    {
        if (_echoesUnstored == 0)
        {
            return;
        }

        await state.ReadStateAsync();
        if (state.State.Exists)
        {
            state.State.EchoedMessages += _echoesUnstored;
            await state.WriteStateAsync();
        }
    }

    private async Task WriteNowAsync()
    {
        ThrowIfLost();
        var (echoes, reservation, lastSeq) = (_echoesUnstored, state.State.SeqReserved, state.State.LastSeq);
        _changed = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (OrleansException exception)
        {
            _changed = true;
            throw Failure(exception);
        }
        catch
        {
            _changed = true;
            throw;
        }

        _echoesUnstored -= echoes;
        events.Stored(reservation, lastSeq);
    }

    private Exception Failure(OrleansException exception)
    {
        if (exception is not InconsistentStateException conflict)
        {
            return new SessionStorageUnavailableException($"Session {sessionId}: the session store did not answer ({exception.GetBaseException().Message})");
        }

        if (!IsLost)
        {
            IsLost = true;
            Log.StateConflict(logger, sessionId, conflict.Message);
            onLost();
        }

        return new SessionStateConflictException($"Session {sessionId} changed in storage under another activation; call again.", conflict);
    }
}
