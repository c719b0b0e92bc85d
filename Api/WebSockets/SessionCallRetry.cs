using Api.Http;
using System.Runtime.CompilerServices;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// One socket's calls to its session, made one at a time. A call that fails because its silo is gone or
/// unreachable is retried until the cluster has noticed and the session re-activates elsewhere. Each attempt is
/// bounded by <see cref="WebSocketLimits.CallTimeout"/> (through Orleans call cancellation), the whole by
/// <see cref="WebSocketLimits.RetryWindow"/>; after that the last failure is thrown and the caller reports it.
/// The timeout source is reused from call to call: on the hot path a call allocates no timer of its own.
/// </summary>
internal sealed class SessionCallRetry(WebSocketLimits limits, TimeProvider clock, CancellationToken ending) : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private CancellationTokenSource _attempt = CancellationTokenSource.CreateLinkedTokenSource(ending);

    public ValueTask<string> EchoAsync(ISessionGrain session, string text) =>
        CallAsync(session, text, static (session, text, cancellation) => session.Echo(text, cancellation));

    public ValueTask<byte[]> EchoUtf8Async(ISessionGrain session, ReadOnlyMemory<byte> text) =>
        CallAsync(session, text, static (session, text, cancellation) => session.EchoUtf8(text, cancellation));

    /// <summary>Makes one call, retried as the type says; <paramref name="call"/> is static, so no closure is allocated.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<TResult> CallAsync<TTarget, TArgument, TResult>(
        TTarget session, TArgument argument, Func<TTarget, TArgument, CancellationToken, Task<TResult>> call)
    {
        DateTimeOffset? deadline = null;
        var backoff = FirstBackoff;
        while (true)
        {
            _attempt.CancelAfter(limits.CallTimeout);
            try
            {
                var reply = await call(session, argument, _attempt.Token);
                Rearm();
                return reply;
            }
            catch (Exception exception) when ((exception is OperationCanceledException || DependencyOutage.Of(exception) is not null) && !ending.IsCancellationRequested)
            {
                Rearm();
                var now = clock.GetUtcNow();
                deadline ??= now + limits.RetryWindow;
                if (now + backoff >= deadline)
                {
                    throw exception is OperationCanceledException ? new TimeoutException($"The session did not answer within {limits.CallTimeout}.", exception) : exception;
                }

                await Task.Delay(backoff, clock, ending);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    public void Dispose() => _attempt.Dispose();

    private void Rearm()
    {
        if (!_attempt.TryReset())
        {
            _attempt.Dispose();
            _attempt = CancellationTokenSource.CreateLinkedTokenSource(ending);
        }
    }
}
