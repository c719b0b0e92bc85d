using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using ClusterHosting;

namespace Grains.Tests;

/// <summary>
/// A one-silo cluster whose sessions and store read a fake clock (Orleans' own clocks stay real), so retention rules
/// are checked by moving time, not by waiting for it. The single-process default store, as <c>dotnet run</c> has it.
/// </summary>
public sealed class FakeClockFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(SessionClock.Key, Clock);
            silo.AddSessionGrains(new ClusterHostingOptions { MemoryStorage = MemoryStorageKind.InProcess });
        });
        Cluster = builder.Build();
        return Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Moves the fake clock in small steps until <paramref name="call"/> completes (its sleeps end by this clock).</summary>
    public async Task<T> AdvanceUntilDoneAsync<T>(Task<T> call, TimeSpan step)
    {
        var until = DateTime.UtcNow + Testing.Deadline.Default;
        while (!call.IsCompleted && DateTime.UtcNow < until)
        {
            Clock.Advance(step);
            await Task.WhenAny(call, Task.Delay(10));
        }

        return await call;
    }
}

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockFixture>
{
    public const string Name = nameof(FakeClockCollection);
}
