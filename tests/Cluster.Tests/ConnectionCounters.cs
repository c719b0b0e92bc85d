namespace Cluster.Tests;

/// <summary>
/// What a front end and its silo report about connections, read from their <c>/metrics</c>: sockets the front
/// end serves, TCP connections and upgrades Kestrel holds, sockets registered with session grains, and session timers.
/// </summary>
internal sealed record ConnectionCounters(double Sockets, double Connections, double Upgraded, double Registered, double Timers)
{
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    public static async Task<ConnectionCounters> ReadAsync(HttpClient frontEnd, HttpClient silo)
    {
        var front = await PrometheusScrape.ReadAsync(frontEnd, Metrics);
        var grains = await PrometheusScrape.ReadAsync(silo, Metrics);
        return new ConnectionCounters(
            front.Sum("sessions_sockets_open") ?? 0,
            front.Sum("kestrel_active_connections") ?? 0,
            front.Sum("kestrel_upgraded_connections") ?? 0,
            grains.Sum("sessions_connections") ?? 0,
            grains.Sum("sessions_timers_active") ?? 0);
    }
}
