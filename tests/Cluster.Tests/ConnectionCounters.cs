namespace Cluster.Tests;

/// <summary>
/// What a front end and the silos report about connections, read from their <c>/metrics</c>: sockets the front
/// end serves, TCP connections and upgrades Kestrel holds, sockets registered with session grains, and session timers
/// (the last two summed over the silos, since a session may live on any of them).
/// </summary>
internal sealed record ConnectionCounters(double Sockets, double Connections, double Upgraded, double Registered, double Timers)
{
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    /// <param name="http">A client of the front end (its base address); it reads the silos at their absolute addresses.</param>
    public static async Task<ConnectionCounters> ReadAsync(HttpClient http, IEnumerable<Uri> silos)
    {
        var front = await PrometheusScrape.ReadAsync(http, Metrics);
        var grains = await Task.WhenAll(silos.Select(silo => PrometheusScrape.ReadAsync(http, new Uri(silo, Metrics))));
        return new ConnectionCounters(
            front.Sum("sessions_sockets_open") ?? 0,
            front.Sum("kestrel_active_connections") ?? 0,
            front.Sum("kestrel_upgraded_connections") ?? 0,
            grains.Sum(silo => silo.Sum("sessions_connections") ?? 0),
            grains.Sum(silo => silo.Sum("sessions_timers_active") ?? 0));
    }
}
