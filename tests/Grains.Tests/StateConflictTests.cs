using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Grains.Tests;

/// <summary>
/// A second writer (as an activation on a silo that hung and came back) changes a session's stored state under its
/// activation: the activation's next write loses on the ETag, and the call is answered by a fresh activation.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StateConflictTests(ClusterFixture fixture)
{
    private const long OtherWritersEchoes = 1000;

    [Fact]
    public async Task A_task_start_that_loses_on_the_etag_is_stored_once_by_a_fresh_activation()
    {
        var session = await fixture.NewSessionAsync();
        await session.Echo("counted in memory, not yet stored");
        await WriteAsAnotherActivationAsync(session);

        var start = await session.StartTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(100)), "conflict-key");
        var repeated = await session.StartTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(100)), "conflict-key");
        var snapshot = await session.GetSnapshot();
        var stored = await ReadStoredAsync(session);

        Assert.Equal(TaskStartOutcome.Started, start.Outcome);
        Assert.Equal(TaskStartOutcome.Repeated, repeated.Outcome);
        Assert.Equal(start.Task!.Id, repeated.Task!.Id);
        Assert.Equal(OtherWritersEchoes + 1, snapshot!.EchoedMessages);
        Assert.Single(stored.Tasks, task => task.Id == start.Task.Id);
    }

    [Fact]
    public async Task A_delete_that_loses_on_the_etag_still_deletes()
    {
        var session = await fixture.NewSessionAsync();
        await WriteAsAnotherActivationAsync(session);

        var deleted = await session.Delete();

        Assert.True(deleted);
        Assert.Null(await session.GetSnapshot());
        Assert.False((await ReadStoredAsync(session)).Exists);
    }

    [Fact]
    public async Task A_waiting_call_on_a_lost_activation_is_answered_by_the_fresh_one()
    {
        var session = await fixture.NewSessionAsync();
        var sleep = await session.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(1)), null);
        var waiting = session.WaitForTask(sleep.Task!.Id, TimeSpan.FromSeconds(20), CancellationToken.None);
        await WriteAsAnotherActivationAsync(session);

        var start = await session.StartTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(100)), null);
        var waited = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TaskStartOutcome.Started, start.Outcome);
        Assert.Equal(SessionTaskStatus.Succeeded, waited!.Status);
    }

    private IGrainStorage Storage() =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SessionStorage.Name);

    private async Task<SessionState> ReadStoredAsync(ISessionGrain session)
    {
        var stored = new GrainState<SessionState>(new SessionState());
        await Storage().ReadStateAsync("session", session.GetGrainId(), stored);
        return stored.State!;
    }

    /// <summary>Reads the stored state and writes it back changed, as a second activation of the session would.</summary>
    private async Task WriteAsAnotherActivationAsync(ISessionGrain session)
    {
        var other = new GrainState<SessionState>(new SessionState());
        await Storage().ReadStateAsync("session", session.GetGrainId(), other);
        Assert.True(other.State!.Exists);
        other.State.EchoedMessages = OtherWritersEchoes;
        await Storage().WriteStateAsync("session", session.GetGrainId(), other);
    }
}
