namespace ClusterHosting;

/// <summary>Where the <see cref="ClusterProvider.Localhost"/> provider keeps session state.</summary>
public enum MemoryStorageKind
{
    /// <summary>A dictionary inside the silo's process: no grain call per read or write. One silo only.</summary>
    InProcess,

    /// <summary>Orleans' memory storage grains, reachable from every silo of a localhost cluster.</summary>
    Shared,
}
