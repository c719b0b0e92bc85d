namespace LoadGenerator;

/// <summary>
/// How an echo request wraps its payload and how the reply must look: the seed's <c>/ws</c> answers
/// <c>Echo: payload</c>; the session socket answers <c>{"type":"echo","data":"payload"}</c> with
/// <c>{"type":"echo","data":"Echo: payload"}</c>. Payloads are JSON-safe (digits, colons and 'x').
/// </summary>
internal sealed record EchoDialect(string Scenario, byte[] RequestPrefix, byte[] RequestSuffix, byte[] ReplyPrefix, byte[] ReplySuffix)
{
    public static readonly EchoDialect Plain = new("ws-echo", [], [], "Echo: "u8.ToArray(), []);

    public static readonly EchoDialect SessionJson = new(
        "session-echo",
        "{\"type\":\"echo\",\"data\":\""u8.ToArray(),
        "\"}"u8.ToArray(),
        "{\"type\":\"echo\",\"data\":\"Echo: "u8.ToArray(),
        "\"}"u8.ToArray());

    public int Overhead => RequestPrefix.Length + RequestSuffix.Length + ReplyPrefix.Length + ReplySuffix.Length;

    public bool IsReplyTo(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> payload) =>
        reply.Length == ReplyPrefix.Length + payload.Length + ReplySuffix.Length
        && reply.StartsWith(ReplyPrefix)
        && reply.EndsWith(ReplySuffix)
        && reply.Slice(ReplyPrefix.Length, payload.Length).SequenceEqual(payload);
}
