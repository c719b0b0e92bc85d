namespace Api.WebSockets;

/// <summary>
/// Retries a session call that failed because its silo is gone or unreachable, until the cluster has
/// noticed and the session re-activates elsewhere. Each attempt is bounded by
/// <see cref="WebSocketLimits.CallTimeout"/>, the whole by <see cref="WebSocketLimits.RetryWindow"/>;
/// after that the last failure is thrown and the caller reports it.
/// Only for calls that may safely run twice (an echo's reply does not change).
/// </summary>
internal static class SessionCallRetry
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, WebSocketLimits limits, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limits.RetryWindow;
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                return await call().WaitAsync(limits.CallTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException && DateTime.UtcNow + backoff < deadline)
            {
                await Task.Delay(backoff, cancellationToken);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }
}
