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

    /// <summary>False, with the error sent, when the message has a field its type does not take.</summary>
    public bool OnlyFields(JsonElement message, string[] allowed, JsonElement? reference)
    {
        if (JsonFields.FirstUnknown(message, allowed) is not { } unknown)
        {
            return true;
        }

        Report("invalid_field", $"Unknown field; allowed: {string.Join(", ", allowed)}.", unknown, reference);
        return false;
    }
}
