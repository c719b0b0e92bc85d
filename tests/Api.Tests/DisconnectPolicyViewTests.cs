using System.Text.Json;
using Api.Tasks;
using Grains.Abstractions;

namespace Api.Tests;

public sealed class DisconnectPolicyViewTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly TaskRecord Task = new()
    {
        Id = "1",
        Kind = SessionTaskKind.Sleep,
        Status = SessionTaskStatus.Running,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void A_task_without_a_policy_shows_continue()
    {
        var json = JsonSerializer.SerializeToElement(TaskView.From(Task), Web);

        Assert.Equal("continue", json.GetProperty("onDisconnect").GetString());
    }

    [Fact]
    public void A_task_with_a_policy_shows_its_seconds_and_reads_back_the_same()
    {
        var view = TaskView.From(Task with { CancelAfterDisconnect = TimeSpan.FromSeconds(1.5) });

        var json = JsonSerializer.SerializeToElement(view, Web);
        var policy = json.GetProperty("onDisconnect");

        Assert.Equal(1.5, policy.GetProperty("cancelAfterSeconds").GetDouble());
        Assert.Single(policy.EnumerateObject());
        Assert.Equal(view.OnDisconnect, policy.Deserialize<DisconnectPolicyView>(Web));
    }
}
