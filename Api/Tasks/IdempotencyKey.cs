namespace Api.Tasks;

/// <summary>The <c>Idempotency-Key</c> request header: 1 to 255 printable ASCII characters.</summary>
internal static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxLength = 255;

    /// <summary>False when the header is present but malformed; <paramref name="key"/> is null when it is absent.</summary>
    public static bool TryRead(HttpRequest request, out string? key)
    {
        var values = request.Headers[Header];
        key = null;
        if (values.Count == 0)
        {
            return true;
        }

        if (values.Count > 1 || !IsValid(values[0]))
        {
            return false;
        }

        key = values[0];
        return true;
    }

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= ' ' and <= '~');
}
