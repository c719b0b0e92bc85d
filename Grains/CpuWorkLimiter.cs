using Microsoft.Extensions.Options;

namespace Grains;

/// <summary>
/// The silo-wide bound on CPU tasks: each hashes on a thread of its own, and without a bound enough of them
/// would take the cores that grain turns, echoes and status calls need.
/// </summary>
internal sealed class CpuWorkLimiter(IOptions<TaskOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentCpu, options.Value.MaxConcurrentCpu);
    private int _waiting;

    /// <summary>CPU tasks waiting for a slot right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
