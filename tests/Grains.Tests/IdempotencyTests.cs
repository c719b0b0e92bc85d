using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_repeated_key_returns_the_original_task_and_starts_nothing()
    {
        var grain = await fixture.NewSessionAsync();
        var spec = TaskSpec.Sleep(TimeSpan.FromMinutes(5));

        var first = await grain.StartTask(spec, "key-1");
        var again = await grain.StartTask(spec, "key-1");
        var page = await grain.ListTasks(0, 10);
        await grain.CancelTask(first.Task!.Id);

        Assert.Equal(TaskStartOutcome.Started, first.Outcome);
        Assert.Equal(TaskStartOutcome.Repeated, again.Outcome);
        Assert.Equal(first.Task.Id, again.Task!.Id);
        Assert.Equal(1, page!.Total);
    }

    [Fact]
    public async Task The_same_key_with_another_spec_is_refused()
    {
        var grain = await fixture.NewSessionAsync();
        await grain.StartTask(TaskSpec.Cpu(10), "key-1");

        var other = await grain.StartTask(TaskSpec.Cpu(11), "key-1");

        Assert.Equal(TaskStartOutcome.KeyReusedWithOtherSpec, other.Outcome);
        Assert.Equal(1, (await grain.ListTasks(0, 10))!.Total);
    }

    [Fact]
    public async Task Different_keys_start_different_tasks_and_keys_survive_deactivation()
    {
        var grain = await fixture.NewSessionAsync();
        var a = await grain.StartTask(TaskSpec.Cpu(10), "a");
        var b = await grain.StartTask(TaskSpec.Cpu(10), "b");

        await fixture.Cluster.DeactivateAsync(grain);
        var repeated = await grain.StartTask(TaskSpec.Cpu(10), "a");

        Assert.NotEqual(a.Task!.Id, b.Task!.Id);
        Assert.Equal(TaskStartOutcome.Repeated, repeated.Outcome);
        Assert.Equal(a.Task.Id, repeated.Task!.Id);
    }
}
