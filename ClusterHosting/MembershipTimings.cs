using System.ComponentModel.DataAnnotations;

namespace ClusterHosting;

/// <summary>
/// How fast the cluster notices a dead silo, bound from <c>Cluster:Membership</c>. A silo that stops
/// answering is declared dead after about <c>MaxProbeTimeout × MissedProbesLimit</c> (6 s by default);
/// until then calls to the sessions it hosted wait or fail, and afterwards they re-activate elsewhere.
/// </summary>
public sealed class MembershipTimings
{
    /// <summary>How long a probe of another silo may take, and how often silos probe each other.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest a probe may take once Orleans has stretched it for a slow peer. Orleans also refuses to vote out a
    /// silo it received any message from within <c>MaxProbeTimeout × MissedProbesLimit</c>, so this bounds how long a
    /// hung silo (alive but not answering, e.g. stopped by the machine) holds its sessions: Orleans' default, four
    /// probe timeouts, let a silo hung for 24 s keep them all that time. Unset means <see cref="ProbeTimeout"/>.
    /// </summary>
    public TimeSpan? MaxProbeTimeout { get; set; }

    /// <summary>Missed probes in a row before a silo votes another one dead.</summary>
    [Range(1, 10)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// How often a silo writes its heartbeat to the membership table. A silo whose heartbeat is several
    /// periods old counts as dead even when no other silo is left to vote, so a cluster whose last silo
    /// was killed can start again within seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a front end re-reads the gateway list, so it stops using a dead silo's gateway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayListRefresh { get; set; } = TimeSpan.FromSeconds(2);
}
