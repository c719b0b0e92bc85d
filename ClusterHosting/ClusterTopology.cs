namespace ClusterHosting;

/// <summary>Where the front end finds its silo.</summary>
public enum ClusterTopology
{
    /// <summary>The front end hosts a silo in its own process (the embedded default).</summary>
    CoHosted,

    /// <summary>The front end is a pure Orleans client of separate <c>Silo</c> processes.</summary>
    Client,
}
