using Grains.Abstractions;

namespace Api.Events;

/// <summary>
/// Where a <see cref="SessionSubscription"/> delivers: in sequence order, without gaps or repeats.
/// Called under the subscription's lock, so implementations must not block.
/// </summary>
internal interface ISessionEventSink
{
    /// <summary>The first answer: the position events continue from; missed events follow.</summary>
    void OnConnected(SessionConnection connection);

    void OnEvent(SessionEvent sessionEvent);

    /// <summary>The log could not fill a gap: the sink gets a fresh snapshot and continues from its position.</summary>
    void OnReset(SessionConnection connection);

    void OnSessionEnded(string reason);
}
