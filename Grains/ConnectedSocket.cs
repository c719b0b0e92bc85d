using Grains.Abstractions;

namespace Grains;

/// <summary>A socket a front end holds on the session, alive while its lease is renewed.</summary>
internal sealed record ConnectedSocket(ISessionObserver Observer, bool WantsEvents, DateTimeOffset LeaseEnds);
