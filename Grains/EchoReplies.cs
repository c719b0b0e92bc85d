namespace Grains;

/// <summary>What an echo answers: the text it was sent, after a prefix.</summary>
internal static class EchoReplies
{
    private static readonly byte[] Utf8Prefix = "Echo: "u8.ToArray();

    public static string Of(string text) => string.Concat("Echo: ", text);

    public static byte[] Of(ReadOnlySpan<byte> text)
    {
        var reply = new byte[Utf8Prefix.Length + text.Length];
        Utf8Prefix.CopyTo(reply, 0);
        text.CopyTo(reply.AsSpan(Utf8Prefix.Length));
        return reply;
    }
}
