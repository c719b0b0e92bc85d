using System.Text.Json.Serialization;

namespace Api.Tasks;

/// <summary>A task's <c>onDisconnect</c> policy as the API shows it: <c>"continue"</c>, or <c>{"cancelAfterSeconds": n}</c>.</summary>
[JsonConverter(typeof(DisconnectPolicyViewConverter))]
internal sealed record DisconnectPolicyView(double? CancelAfterSeconds)
{
    public const string ContinueName = "continue";
    public const string CancelAfterSecondsName = "cancelAfterSeconds";

    public static DisconnectPolicyView Continue { get; } = new(CancelAfterSeconds: null);

    public static DisconnectPolicyView Of(TimeSpan? cancelAfter) => cancelAfter is { } after ? new(after.TotalSeconds) : Continue;
}
