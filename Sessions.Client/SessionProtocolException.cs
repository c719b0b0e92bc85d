using System.Text.Json;

namespace Sessions.Client;

/// <summary>The service refused a request: <see cref="Status"/> is the HTTP status (the socket's <c>error</c> carries the same).</summary>
public sealed class SessionProtocolException : Exception
{
    public SessionProtocolException(int status, string code, string detail, string? field)
        : base($"{status} {code}: {detail}")
    {
        Status = status;
        Code = code;
        Field = field;
    }

    public SessionProtocolException()
        : this(0, "unknown", "The service refused the request.", null)
    {
    }

    public SessionProtocolException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    public SessionProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "unknown";
    }

    public int Status { get; }

    public string Code { get; }

    public string? Field { get; }

    /// <summary>How long the service asks to wait before a retry (a 429 or a 503), when it says.</summary>
    public TimeSpan? RetryAfter { get; init; }

    internal static SessionProtocolException FromError(JsonElement error) => new(
        error.GetProperty("status").GetInt32(),
        error.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
        error.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "",
        error.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null)
    {
        RetryAfter = error.TryGetProperty("retryAfter", out var seconds) && seconds.TryGetInt32(out var value) ? TimeSpan.FromSeconds(value) : null,
    };
}
