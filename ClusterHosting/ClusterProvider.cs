namespace ClusterHosting;

/// <summary>Where the cluster keeps its membership, session state and reminders.</summary>
public enum ClusterProvider
{
    /// <summary>One machine, nothing to install: localhost clustering, in-memory storage and reminders.</summary>
    Localhost,

    /// <summary>Several machines: membership, session state and reminders in Redis.</summary>
    Redis,
}
