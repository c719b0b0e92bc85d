namespace Grains.Abstractions;

[GenerateSerializer, Alias("SessionTaskKind")]
public enum SessionTaskKind
{
    /// <summary>The seed's non-blocking wait.</summary>
    Sleep = 0,

    /// <summary>Real CPU work (iterated hashing) on the thread pool, under a silo-wide bound.</summary>
    Cpu = 1,
}
