using System.Text.Json.Serialization;

namespace Sessions.Client;

/// <summary>What to run: <see cref="Sleep"/> or <see cref="Cpu"/>, optionally cancelled after the session has had no socket for a while.</summary>
public sealed record TaskSpec(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Seconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Work = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DisconnectPolicy? OnDisconnect = null)
{
    public static TaskSpec Sleep(double seconds, DisconnectPolicy? onDisconnect = null) => new("sleep", Seconds: seconds, OnDisconnect: onDisconnect);

    public static TaskSpec Cpu(long work, DisconnectPolicy? onDisconnect = null) => new("cpu", Work: work, OnDisconnect: onDisconnect);
}

/// <summary>Cancel the task once the session has had no open socket for this many seconds.</summary>
public sealed record DisconnectPolicy(int CancelAfterSeconds);
