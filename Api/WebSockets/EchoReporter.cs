using Api.Http;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// Counts one echo socket's messages and reports them to its session in batches: at most one call per
/// <see cref="WebSocketLimits.EchoReportInterval"/> while messages flow, none while the socket is idle, and the
/// remainder when it closes. A report that fails keeps its count for the next one; reports failing for longer than
/// <see cref="WebSocketLimits.RetryWindow"/> mean the session is unreachable.
/// </summary>
internal sealed class EchoReporter(
    ISessionGrain session, WebSocketLimits limits, Action<string> sessionEnded, Action<Exception> sessionUnavailable, ILogger logger, string connectionId)
{
    private int _unreported;
    private int _scheduled;
    private DateTime? _failingSince;

    public void Count()
    {
        Interlocked.Increment(ref _unreported);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _ = ReportLaterAsync();
        }
    }

    /// <summary>Reports what is left; called once the socket has closed, before it leaves its session.</summary>
    public Task FlushAsync() => ReportAsync();

    private async Task ReportLaterAsync()
    {
        await Task.Delay(limits.EchoReportInterval);
        await ReportAsync();
        Volatile.Write(ref _scheduled, 0);
        if (Volatile.Read(ref _unreported) > 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _ = ReportLaterAsync();
        }
    }

    private async Task ReportAsync()
    {
        var count = Interlocked.Exchange(ref _unreported, 0);
        if (count == 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(limits.CallTimeout);
            await session.RecordEchoes(count, timeout.Token);
            _failingSince = null;
        }
        catch (SessionNotFoundException)
        {
            sessionEnded("The session no longer exists.");
        }
        catch (Exception exception) when (exception is OperationCanceledException || DependencyOutage.Of(exception) is not null)
        {
            Interlocked.Add(ref _unreported, count);
            Log.EchoReportFailed(logger, connectionId, count, exception);
            _failingSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - _failingSince >= limits.RetryWindow)
            {
                sessionUnavailable(exception);
            }
        }
    }
}
