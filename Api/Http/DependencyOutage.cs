using Grains.Abstractions;
using Orleans.Persistence.Redis;
using Orleans.Runtime;
using Orleans.Storage;
using StackExchange.Redis;

namespace Api.Http;

/// <summary>Which dependency a failed session call was missing: the session store or the cluster's silos.</summary>
internal enum MissingDependency
{
    Storage,
    Cluster,
}

/// <summary>
/// Tells a dependency outage (answered 503 with <c>Retry-After</c>, over HTTP and on the session socket) from a fault
/// of ours (500). Storage errors reach the front end wrapped in Orleans exceptions, so the whole chain is searched
/// for them before anything counts as a cluster failure.
/// </summary>
internal static class DependencyOutage
{
    /// <summary>About one membership failure detection (probes 2 s × 3): by then a hung silo's sessions have moved.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static MissingDependency? Of(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SessionStorageUnavailableException or SessionStateConflictException or InconsistentStateException
                or RedisStorageException or RedisException)
            {
                return MissingDependency.Storage;
            }
        }

        return exception is OrleansException or TimeoutException ? MissingDependency.Cluster : null;
    }

    public static string Detail(MissingDependency missing) => missing switch
    {
        MissingDependency.Storage =>
            "The session store (Redis) does not answer, so the session could not be read or saved. Retry after the seconds in Retry-After (retryAfter on the session socket); a task start repeated with the same Idempotency-Key starts it at most once.",
        _ =>
            "No silo of the cluster answers for this session (none is up, or one is failing over). Retry after the seconds in Retry-After (retryAfter on the session socket); a task start repeated with the same Idempotency-Key starts it at most once.",
    };

    /// <summary>The name <c>/health/ready</c> reports the dependency under.</summary>
    public static string Name(MissingDependency missing) => missing == MissingDependency.Storage ? "storage" : "cluster";
}
