namespace Grains;

/// <summary>
/// How a session in use keeps its activation in memory. A grain timer's ticks count as activity only from the end of
/// the last tick, so a thread-pool stall longer than the idle timeout could let idle collection take a session whose
/// socket is open. An explicit hold for one connection lease, renewed at every housekeeping tick (at most half a lease
/// apart), makes that a matter of the lease, not of scheduling; a session no longer in use is released at once.
/// </summary>
internal sealed class ActivationHold(SessionOptions options)
{
    private bool _held;

    /// <summary>How often a busy session's housekeeping ticks: its flush interval, but at most half a connection lease.</summary>
    public static TimeSpan TickInterval(SessionOptions options) =>
        options.FlushInterval < options.ConnectionLease / 2 ? options.FlushInterval : options.ConnectionLease / 2;

    /// <summary>
    /// A session without a token that nothing uses leaves memory at once (its state stays in the store), so sessions
    /// made by traffic (<c>GET /process</c>, <c>/ws</c>) do not pile up activations for the idle timeout.
    /// </summary>
    public static bool LeavesAtOnce(SessionState session, bool inUse) => !inUse && (!session.Exists || session.ResumeTokenHash is null);

    /// <returns>How long to hold the activation from now (zero releases it), or null to leave it as it is.</returns>
    public TimeSpan? Next(bool inUse)
    {
        var next = inUse ? options.ConnectionLease : _held ? TimeSpan.Zero : (TimeSpan?)null;
        _held = inUse;
        return next;
    }
}
