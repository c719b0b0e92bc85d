using Orleans.Concurrency;

namespace Grains.Abstractions;

/// <summary>
/// Implemented by a front end for each socket it holds on a session. A grain observer, not a stream:
/// delivery is a direct one-way message from the session's activation to the process that holds the
/// socket, wherever either lives, with no stream provider or queue to run; what a dropped message
/// loses is recovered from the session's event log by sequence number.
/// </summary>
[Alias("ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    [OneWay, Alias("OnEvent")]
    Task OnEvent(SessionEvent sessionEvent);

    /// <summary>The session was deleted: the socket should close.</summary>
    [OneWay, Alias("OnSessionEnded")]
    Task OnSessionEnded(string reason);
}
