namespace Api.Tasks;

/// <summary>
/// The documented shape of <c>POST /sessions/{id}/tasks</c>: <c>{"kind":"sleep","seconds":5}</c> or
/// <c>{"kind":"cpu","work":N}</c>, optionally with <c>"onDisconnect": {"cancelAfterSeconds": N}</c>. The body is parsed by <see cref="TaskRequestParser"/>, which names the bad field.
/// </summary>
internal sealed record TaskRequest(string Kind, double? Seconds, long? Work, CancelAfterDisconnectView? OnDisconnect);
