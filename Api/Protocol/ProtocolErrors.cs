using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Text.Json;

namespace Api.Protocol;

/// <summary>Answers a malformed message with an error; too many of them close the socket with 1008.</summary>
internal sealed class ProtocolErrors(ISessionSocket socket, int maxErrors)
{
    private int _count;

    public void Report(string code, string detail, string? field, JsonElement? reference)
    {
        socket.Send(new ErrorMessage(StatusCodes.Status400BadRequest, code, detail, field, reference));
        if (Interlocked.Increment(ref _count) >= maxErrors)
        {
            socket.Close(WebSocketCloseStatus.PolicyViolation, "Too many invalid messages", "protocol errors");
        }
    }

    /// <summary>
    /// Reads the one string field a request of this type needs; false, with the error sent, when the message has a
    /// field its type does not take or lacks that one (<paramref name="shape"/> shows the request).
    /// </summary>
    public bool TryReadRequest(
        JsonElement message, string[] allowed, string field, string shape, JsonElement? reference, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (JsonFields.FirstUnknown(message, allowed) is { } unknown)
        {
            Report("invalid_field", $"Unknown field; allowed: {string.Join(", ", allowed)}.", unknown, reference);
            return false;
        }

        if (!message.TryGetProperty(field, out var element) || element.ValueKind != JsonValueKind.String)
        {
            Report("invalid_message", shape, field, reference);
            return false;
        }

        value = element.GetString()!;
        return true;
    }
}
