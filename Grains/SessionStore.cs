using Grains.Abstractions;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Grains;

/// <summary>
/// One activation's access to a session's stored state: writes serialized through a <see cref="StateWriteCoalescer"/>,
/// storage failures turned into the exceptions callers understand, and echoes counted since the last write kept
/// apart. A write refused for its ETag means another activation wrote meanwhile (one on a silo that hung and came
/// back): this copy can never be written again, so <paramref name="onLost"/> stops the activation's work and every
/// later call is told to call again, which reaches an activation that reads the stored state.
/// Only for use on the activation's own scheduler.
/// </summary>
internal sealed class SessionStore(IPersistentState<SessionState> state, string sessionId, ILogger logger, Action onLost)
{
    private StateWriteCoalescer? _writer;
    private long _echoesUnstored;

    public bool IsLost { get; private set; }

    public SessionState State => state.State;

    /// <summary>Forgets the session in memory; the next write stores it as gone.</summary>
    public void Reset() => state.State = new SessionState();

    /// <summary>
    /// Forgets a session past its retention, in memory and in the store: the store may still hold it (written while
    /// in use, with a later expiry), and it must not come back. A failure is logged; the store's expiry remains.
    /// </summary>
    public async Task ForgetExpiredAsync()
    {
        Log.SessionExpired(logger, sessionId, state.State.LastActiveAt);
        Reset();
        try
        {
            await WriteAsync();
            await ClearAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, sessionId, exception);
        }
    }

    public void CountEcho()
    {
        state.State.EchoedMessages++;
        _echoesUnstored++;
    }

    public void ThrowIfLost()
    {
        if (IsLost)
        {
            throw new SessionStateConflictException($"Session {sessionId} changed in storage under another activation; call again.");
        }
    }

    /// <summary>Writes the state as it is when the write starts; one asked for while another runs waits for it.</summary>
    public Task WriteAsync() => (_writer ??= new StateWriteCoalescer(WriteNowAsync)).WriteAsync();

    public async Task ClearAsync()
    {
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

    /// <summary>At the deactivation of a lost copy: adds the echoes it counted but never stored to the stored state.</summary>
    public async Task KeepUnstoredEchoesAsync()
    {
        if (!IsLost || _echoesUnstored == 0)
        {
            return;
        }

        try
        {
            await state.ReadStateAsync();
            if (state.State.Exists)
            {
                state.State.EchoedMessages += _echoesUnstored;
                await state.WriteStateAsync();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, sessionId, exception);
        }
    }

    private async Task WriteNowAsync()
    {
        ThrowIfLost();
        var echoes = _echoesUnstored;
        try
        {
            await state.WriteStateAsync();
        }
        catch (OrleansException exception)
        {
            throw Failure(exception);
        }

        _echoesUnstored -= echoes;
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
