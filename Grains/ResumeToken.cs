using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Grains;

/// <summary>The secret a session created with one demands: only its SHA-256 is kept, and it is compared in constant time.</summary>
internal static class ResumeToken
{
    public static (string Token, byte[] Hash) New()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>A session without a token admits anyone; one with a token admits only its holder.</summary>
    public static bool Admits(byte[]? expectedHash, string? token) =>
        expectedHash is null || (token is not null && CryptographicOperations.FixedTimeEquals(Hash(token), expectedHash));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
