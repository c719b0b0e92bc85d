using Grains.Abstractions;
using Orleans.Storage;

namespace Grains;

internal sealed partial class SessionGrain
{
    private bool _stateLost;
    private long _echoesUnstored;

    /// <summary>Writes the state through the coalescer, with the expiry it has now; a failed write leaves it pending.</summary>
    private async Task WriteAsync()
    {
        _dirty = false;
        if (Session.Exists)
        {
            Session.ExpiresAt = _retention.ExpiresAt(Session, InUse);
        }

        var reservation = Session.SeqReserved;
        try
        {
            await _writer!.WriteAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }

        _events.Stored(reservation);
    }

    /// <summary>
    /// Every write of the session's state. A write refused for its ETag means another activation wrote meanwhile
    /// (one on a silo that hung and came back): this copy can never be written again, so the activation stops its
    /// work and leaves, and the caller is told to call again, which reaches an activation that reads the stored state.
    /// </summary>
    private async Task WriteStoredStateAsync()
    {
        ThrowIfStateLost();
        var echoes = _echoesUnstored;
        try
        {
            await state.WriteStateAsync();
        }
        catch (OrleansException exception)
        {
            throw StorageFailure(exception);
        }

        _echoesUnstored -= echoes;
    }

    private async Task ClearStoredStateAsync()
    {
        ThrowIfStateLost();
        try
        {
            await state.ClearStateAsync();
        }
        catch (OrleansException exception)
        {
            throw StorageFailure(exception);
        }
    }

    private Exception StorageFailure(OrleansException exception) => exception is InconsistentStateException conflict
        ? StateLost(conflict)
        : new SessionStorageUnavailableException($"Session {SessionId}: the session store did not answer ({exception.GetBaseException().Message})");

    /// <summary>Echoes are counted in memory and flushed later; this keeps those of a lost copy, added to the stored count.</summary>
    private void CountUnstoredEchoes(int count)
    {
        Session.EchoedMessages += count;
        _echoesUnstored += count;
    }

    /// <summary>Calls that reached this activation after its state was lost answer as the write did: call again.</summary>
    private void ThrowIfStateLost()
    {
        if (_stateLost)
        {
            throw new SessionStateConflictException($"Session {SessionId} changed in storage under another activation; call again.");
        }
    }

    private SessionStateConflictException StateLost(InconsistentStateException exception)
    {
        if (!_stateLost)
        {
            _stateLost = true;
            Log.StateConflict(logger, SessionId, exception.Message);

            // Its tasks are stored as unfinished: the next activation resumes them. Stopping them here releases
            // waiting calls, so the activation goes at once instead of after the longest wait.
            _tasks.StopAll("The session's state changed in storage under another activation.");
            UpdateTimers();
            DeactivateOnIdle();
        }

        return new SessionStateConflictException($"Session {SessionId} changed in storage under another activation; call again.", exception);
    }

    /// <summary>At the deactivation of a lost copy: adds the echoes it counted but never stored to the stored state.</summary>
    private async Task KeepUnstoredEchoesAsync()
    {
        if (_echoesUnstored == 0)
        {
            return;
        }

        try
        {
            await state.ReadStateAsync();
            if (Session.Exists)
            {
                Session.EchoedMessages += _echoesUnstored;
                await state.WriteStateAsync();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }
}
