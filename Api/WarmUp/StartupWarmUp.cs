using System.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Api.Hosting;
using Microsoft.Extensions.Options;

namespace Api.WarmUp;

/// <summary>
/// Before the front end reports ready, runs rounds of <see cref="WarmUpClient"/>s against its own address until a
/// round JIT-compiles almost nothing new (or <see cref="WarmUpOptions.MaxDuration"/> passes). A fresh process otherwise
/// spends its first tens of seconds of real traffic compiling and re-compiling its hot paths, exactly when a rolling
/// deploy moves load onto it. Hosts without a network address (test servers) skip it.
/// </summary>
internal sealed partial class StartupWarmUp(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<WarmUpOptions> options,
    [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock,
    ILogger<StartupWarmUp> logger) : BackgroundService
{
    /// <summary>A round that compiles fewer methods than this leaves the rest to normal traffic.</summary>
    private const int SettledCompilations = 25;
    private const int MinRounds = 3;

    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Finished => _finished.Task;

    /// <summary>Rounds of warm-up clients run so far.</summary>
    public int Rounds { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (options.Value.Enabled && await StartedAsync(stoppingToken) && OwnAddress() is { } address)
            {
                await WarmUpAsync(address, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A warm-up that fails (hosts filtered, a dependency down) must not keep the front end out of service.
            Log.Failed(logger, exception);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private async Task WarmUpAsync(Uri address, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.MaxDuration, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        using var http = new HttpClient { BaseAddress = address, Timeout = options.Value.MaxDuration };
        var started = clock.GetTimestamp();
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        long compiledInRound;
        try
        {
            do
            {
                var before = JitInfo.GetCompiledMethodCount();
                await Task.WhenAll(Enumerable.Range(0, options.Value.Clients).Select(_ => new WarmUpClient(http, address).RunAsync(deadline.Token)));
                compiledInRound = JitInfo.GetCompiledMethodCount() - before;
                Rounds++;
            }
            while (Rounds < MinRounds || compiledInRound >= SettledCompilations);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Out of time: what is warm stays warm.
        }

        var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
        var seconds = clock.GetElapsedTime(started).TotalSeconds;
        Log.Done(logger, seconds, Rounds, compiled);
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        return true;
    }

    /// <summary>The first plain-HTTP address the server listens on, with a wildcard host made loopback.</summary>
    private Uri? OwnAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
            {
                var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
                return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Warmed up in {Seconds:0.0} s: {Rounds} round(s), {Compiled} methods compiled")]
        public static partial void Done(ILogger logger, double seconds, int rounds, long compiled);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "The start-up warm-up failed; the front end reports ready without it")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
