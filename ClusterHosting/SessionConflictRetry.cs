using Grains.Abstractions;

namespace ClusterHosting;

/// <summary>
/// Makes a session call once more when it met a stale activation (<see cref="SessionStateConflictException"/>): that
/// activation changed nothing and is leaving, so the second call reaches one that reads the stored state. Once is
/// enough; a second conflict means writers still race, and the caller hears of it.
/// </summary>
public sealed class SessionConflictRetry : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (SessionStateConflictException)
        {
            await context.Invoke();
        }
    }
}

public static class SessionConflictRetryExtensions
{
    public static IClientBuilder AddSessionConflictRetry(this IClientBuilder client) =>
        client.AddOutgoingGrainCallFilter<SessionConflictRetry>();

    /// <summary>For a co-hosted front end, whose session calls leave through its own silo.</summary>
    public static ISiloBuilder AddSessionConflictRetry(this ISiloBuilder silo) =>
        silo.AddOutgoingGrainCallFilter<SessionConflictRetry>();
}
