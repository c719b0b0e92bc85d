using System.Collections.Concurrent;

namespace LoadGenerator;

/// <summary>Failures counted by kind (HTTP status, exception type, close code), safe to add to from any thread.</summary>
internal sealed class ErrorTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Add(Exception exception) => Add(exception is OperationCanceledException ? "timeout" : exception.GetType().Name);

    public Dictionary<string, int> Snapshot() => new(_counts, StringComparer.Ordinal);
}
