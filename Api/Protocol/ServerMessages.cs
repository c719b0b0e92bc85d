using System.Text.Json;
using System.Text.Json.Serialization;
using Api.Tasks;

namespace Api.Protocol;

// The messages the server sends on /sessions/{id}/ws; docs/protocol.md describes each.

/// <summary>First message after authentication: events continue after <c>seq</c>; <c>replay</c> missed ones follow.</summary>
internal sealed record WelcomeMessage(string Session, long Seq, int Replay, [property: JsonPropertyOrder(-1)] string Type = "welcome");

/// <summary>A task event, <c>type</c> being <c>task.started</c>, <c>task.progress</c> and so on.</summary>
internal sealed record EventMessage([property: JsonPropertyOrder(-1)] string Type, long Seq, DateTimeOffset At, TaskView Task);

/// <summary>The events after the client's <c>lastSeq</c> are gone: here is every task as it is now.</summary>
internal sealed record ResetMessage(long Seq, string Reason, IReadOnlyList<TaskView> Tasks, [property: JsonPropertyOrder(-1)] string Type = "reset");

internal sealed record EchoReply(string Data, JsonElement? Ref, [property: JsonPropertyOrder(-1)] string Type = "echo");

internal sealed record TaskAcceptedMessage(TaskView Task, bool Replayed, JsonElement? Ref, [property: JsonPropertyOrder(-1)] string Type = "task.accepted");

internal sealed record TaskCancelResultMessage(string Id, string Outcome, TaskView? Task, JsonElement? Ref, [property: JsonPropertyOrder(-1)] string Type = "task.cancel.result");

/// <summary>
/// A request that could not be served; <c>status</c> is the HTTP status the same request would get, and
/// <c>retryAfter</c> the seconds its <c>Retry-After</c> header would say.
/// </summary>
internal sealed record ErrorMessage(int Status, string Code, string Detail, string? Field, JsonElement? Ref, int? RetryAfter = null, [property: JsonPropertyOrder(-1)] string Type = "error");
