using Grains.Abstractions;

namespace Api.Events;

/// <summary>
/// Hands a socket's session events to its sink in sequence order, without gaps or repeats. Orleans does not order
/// one-way messages, so an event that arrives before the one it follows is held; a gap, or too many held events,
/// raises <see cref="ResyncRequested"/> so the subscription asks the session for what is missing.
/// </summary>
internal sealed class EventSequencer(ISessionEventSink sink)
{
    /// <summary>Events held while waiting for an earlier one; beyond this the subscription re-syncs from the log.</summary>
    private const int MaxHeldEvents = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, SessionEvent> _held = [];
    private long? _delivered;
    private bool _droppedHeld;
    private TaskCompletionSource _resync = NewSignal();

    /// <summary>Completes when events are missing; <see cref="RearmResync"/> starts a new one.</summary>
    public Task ResyncRequested => _resync.Task;

    /// <summary>The seq of the last event delivered; null before the session's first answer.</summary>
    public long? Delivered
    {
        get
        {
            lock (_gate)
            {
                return _delivered;
            }
        }
    }

    /// <summary>True while an event is held for want of an earlier one, or held ones were dropped until the next answer.</summary>
    public bool IsMissingEvents
    {
        get
        {
            lock (_gate)
            {
                return _held.Count > 0 || _droppedHeld;
            }
        }
    }

    public void RearmResync() => _resync = NewSignal();

    public void Offer(SessionEvent sessionEvent)
    {
        lock (_gate)
        {
            OfferInOrder(sessionEvent);
        }
    }

    /// <summary>Takes the session's answer to a connect: a reset, or the position and the events missed since.</summary>
    public void Apply(SessionConnection answer, long? firstLastSeq = null)
    {
        lock (_gate)
        {
            _droppedHeld = false;
            if (answer.ResetReason is not null)
            {
                _delivered = answer.Seq;
                _held.Clear();
                sink.OnReset(answer);
                return;
            }

            if (_delivered is null)
            {
                _delivered = firstLastSeq ?? answer.Seq;
                sink.OnConnected(answer);
                DeliverHeld();
            }

            foreach (var missed in answer.Missed)
            {
                OfferInOrder(missed);
            }

            // Held events the answer did not reach stay held; drop those it has overtaken.
            foreach (var seq in _held.Values.Where(e => e.Seq <= _delivered).Select(e => e.PreviousSeq).ToList())
            {
                _held.Remove(seq);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Delivers the event if it is the next one; holds it if an earlier one is missing.</summary>
    private void OfferInOrder(SessionEvent sessionEvent)
    {
        if (_delivered is not { } delivered || sessionEvent.PreviousSeq != delivered)
        {
            if (_delivered is null || sessionEvent.Seq > _delivered)
            {
                _held[sessionEvent.PreviousSeq] = sessionEvent;
                if (_held.Count > MaxHeldEvents)
                {
                    // Bounded memory while a gap lasts: the log re-sends what is dropped here.
                    _held.Clear();
                    _droppedHeld = true;
                    _resync.TrySetResult();
                }
                else if (_delivered is not null)
                {
                    _resync.TrySetResult();
                }
            }

            return;
        }

        sink.OnEvent(sessionEvent);
        _delivered = sessionEvent.Seq;
        DeliverHeld();
    }

    private void DeliverHeld()
    {
        while (_held.Remove(_delivered!.Value, out var next))
        {
            sink.OnEvent(next);
            _delivered = next.Seq;
        }
    }
}
