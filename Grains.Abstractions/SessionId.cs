using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Grains.Abstractions;

/// <summary>
/// A session's identity: 128 bits from a cryptographic random source, spelled as 22 URL-safe
/// base64 characters. Parsing accepts only the canonical spelling, so one session has one key.
/// </summary>
public readonly record struct SessionId
{
    private const int ByteLength = 16;
    private const int TextLength = 22;

    private SessionId(string value) => Value = value;

    public string Value { get; }

    public static SessionId New()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return new SessionId(Base64Url.EncodeToString(bytes));
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out SessionId id)
    {
        id = default;
        if (text is null || text.Length != TextLength)
        {
            return false;
        }

        // IsValid first: TryDecodeFromChars reports only a short destination and throws on bad characters.
        if (!Base64Url.IsValid(text, out var decodedLength) || decodedLength != ByteLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ByteLength];
        Base64Url.DecodeFromChars(text, bytes);

        // The last character carries 2 spare bits; only the spelling with them cleared is canonical.
        if (!string.Equals(Base64Url.EncodeToString(bytes), text, StringComparison.Ordinal))
        {
            return false;
        }

        id = new SessionId(text);
        return true;
    }

    public override string ToString() => Value;
}
