using Microsoft.Extensions.Options;

namespace Grains;

/// <summary>
/// The silo-wide bound on CPU tasks: hashing runs on the thread pool, and without a bound enough of it
/// would starve the pool threads that grain turns, echoes and status calls need.
/// </summary>
internal sealed class CpuWorkLimiter(IOptions<TaskOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentCpu, options.Value.MaxConcurrentCpu);

    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
