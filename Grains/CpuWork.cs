using System.Security.Cryptography;

namespace Grains;

/// <summary>The <c>cpu</c> task: iterated SHA-256, real work that observes cancellation and reports progress.</summary>
internal static class CpuWork
{
    private const long RoundsPerCheck = 1 << 14;

    /// <summary>
    /// Runs the work on a thread of its own (the caller bounds how many): hashing for minutes on pool threads would
    /// leave too few of them for grain turns and sockets until the pool slowly grew.
    /// </summary>
    /// <returns>The final digest, in lowercase hex.</returns>
    public static Task<string> RunOnOwnThreadAsync(long rounds, RunningTask progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => Run(rounds, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <returns>The final digest, in lowercase hex.</returns>
    public static string Run(long rounds, RunningTask progress, CancellationToken cancellationToken)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> next = stackalloc byte[SHA256.HashSizeInBytes];
        for (long done = 0; done < rounds; done++)
        {
            if (done % RoundsPerCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.ReportWork(done);
            }

            SHA256.HashData(digest, next);
            next.CopyTo(digest);
        }

        progress.ReportWork(rounds);
        return Convert.ToHexStringLower(digest);
    }
}
