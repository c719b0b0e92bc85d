using System.Diagnostics;
using System.Globalization;

namespace LoadGenerator;

/// <summary>Prints one line a second to stderr while a scenario runs: how far it is and how it goes.</summary>
internal sealed class Progress : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Progress(string label, Func<string> status)
    {
        var clock = Stopwatch.StartNew();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{label} {clock.Elapsed.TotalSeconds,5:0}s] {status()}"));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
