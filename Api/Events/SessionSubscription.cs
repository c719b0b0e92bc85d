using Api.Http;
using Grains.Abstractions;

namespace Api.Events;

/// <summary>
/// One socket's registration with its session grain: the grain observer that receives events, handed on in order by
/// an <see cref="EventSequencer"/>, and the loop that renews the lease. Each renewal also asks for anything missed,
/// which is how a socket catches up after its session moved to another silo.
/// </summary>
internal sealed class SessionSubscription : ISessionObserver, IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReorderGrace = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One-way messages the grain sent before it saw the disconnect can arrive after it (Orleans does not order
    /// them); the observer stays reachable, and mute, this long so they find it instead of a missing target.
    /// </summary>
    private static readonly TimeSpan StragglerGrace = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory _grains;
    private readonly ISessionGrain _session;
    private readonly string _connectionId;
    private readonly bool _wantsEvents;
    private readonly ISessionEventSink _sink;
    private readonly EventSequencer _events;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _callTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private ISessionObserver? _reference;
    private Task _renewal = Task.CompletedTask;
    private volatile bool _ended;

    private SessionSubscription(
        IGrainFactory grains, ISessionGrain session, string connectionId, bool wantsEvents, ISessionEventSink sink, TimeProvider clock, TimeSpan callTimeout, ILogger logger)
    {
        _grains = grains;
        _session = session;
        _connectionId = connectionId;
        _wantsEvents = wantsEvents;
        _sink = sink;
        _events = new EventSequencer(sink);
        _clock = clock;
        _callTimeout = callTimeout;
        _logger = logger;
    }

    /// <summary>
    /// Registers the socket. A socket cannot work without it: when the session does not exist the sink is told it
    /// ended, and when the cluster or the store does not answer <paramref name="onUnavailable"/> is called; null then.
    /// Each call is bounded by <paramref name="callTimeout"/> (<c>WebSockets:CallTimeout</c>), short against failure
    /// detection, so a call sent to a silo that hangs is given up instead of waiting out Orleans' 30 s response timeout.
    /// </summary>
    public static async Task<SessionSubscription?> StartAsync(
        IGrainFactory grains, ISessionGrain session, string connectionId, bool wantsEvents, long? lastSeq, ISessionEventSink sink,
        TimeProvider clock, TimeSpan callTimeout, ILogger logger, Action<MissingDependency, Exception> onUnavailable)
    {
        var subscription = new SessionSubscription(grains, session, connectionId, wantsEvents, sink, clock, callTimeout, logger);
        var reference = subscription._reference = grains.CreateObjectReference<ISessionObserver>(subscription);
        SessionConnection? answer;
        try
        {
            answer = await session.Connect(connectionId, reference, wantsEvents, wantsEvents ? lastSeq : null).WaitAsync(callTimeout, clock);
        }
        catch (Exception exception) when (DependencyOutage.Of(exception) is { } missing)
        {
            grains.DeleteObjectReference<ISessionObserver>(reference);
            onUnavailable(missing, exception);
            return null;
        }
        catch
        {
            grains.DeleteObjectReference<ISessionObserver>(reference);
            throw;
        }

        if (answer is null)
        {
            grains.DeleteObjectReference<ISessionObserver>(reference);
            sink.OnSessionEnded("The session no longer exists.");
            return null;
        }

        subscription._events.Apply(answer, lastSeq);
        subscription._renewal = subscription.RenewAsync(answer.Lease / 3);
        return subscription;
    }

    public Task OnEvent(SessionEvent sessionEvent)
    {
        if (_ended)
        {
            return Task.CompletedTask;
        }

        _events.Offer(sessionEvent);
        return Task.CompletedTask;
    }

    public Task OnSessionEnded(string reason)
    {
        if (_ended)
        {
            return Task.CompletedTask;
        }

        _stop.Cancel();
        _sink.OnSessionEnded(reason);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _renewal;
        try
        {
            await _session.Disconnect(_connectionId).WaitAsync(DisconnectTimeout, _clock);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or OperationCanceledException
            || DependencyOutage.Of(exception) is not null)
        {
            // The lease expires on its own; the session stops counting the socket then.
            Log.DisconnectFailed(_logger, _connectionId, exception);
        }

        _ended = true;
        _ = ForgetReferenceLaterAsync();
    }

    private async Task ForgetReferenceLaterAsync()
    {
        await Task.Delay(StragglerGrace, _clock);
        if (_reference is not null)
        {
            _grains.DeleteObjectReference<ISessionObserver>(_reference);
        }

        _stop.Dispose();
    }

    private async Task RenewAsync(TimeSpan interval)
    {
        var delay = interval;
        while (!_stop.IsCancellationRequested)
        {
            var resync = _events.ResyncRequested;
            try
            {
                await Task.WhenAny(resync, Task.Delay(delay, _clock, _stop.Token));
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                if (resync.IsCompleted)
                {
                    _events.RearmResync();

                    // One-way messages can overtake each other; the missing one usually lands a moment later.
                    await Task.Delay(ReorderGrace, _clock, _stop.Token);
                    if (!_events.IsMissingEvents)
                    {
                        continue;
                    }
                }

                var position = _events.Delivered;

                var answer = await _session.Connect(_connectionId, _reference!, _wantsEvents, _wantsEvents ? position : null)
                    .WaitAsync(_callTimeout, _clock, _stop.Token);
                if (answer is null)
                {
                    await OnSessionEnded("The session no longer exists.");
                    return;
                }

                _events.Apply(answer);

                // Still missing something: ask again soon rather than at the next renewal.
                delay = _events.IsMissingEvents ? RetryDelay : interval;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (DependencyOutage.Of(exception) is not null)
            {
                // A storage outage fails a renewal that writes; the lease outlasts a few retries, and one that
                // succeeds in time loses nothing.
                Log.RenewalFailed(_logger, _connectionId, exception);
                delay = RetryDelay;
            }
        }
    }
}
