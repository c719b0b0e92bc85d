using System.Text.Json;

namespace Sessions.Client;

/// <summary>Reads messages from the server without building a document: the hot path of a client that handles many per second.</summary>
public static class ServerMessage
{
    // Ordered by how often each arrives: progress events outnumber the rest.
    private static readonly (byte[] Text, ServerMessageType Type)[] Types =
    [
        ("task.progress"u8.ToArray(), ServerMessageType.TaskProgress),
        ("echo"u8.ToArray(), ServerMessageType.Echo),
        ("task.started"u8.ToArray(), ServerMessageType.TaskStarted),
        ("task.completed"u8.ToArray(), ServerMessageType.TaskCompleted),
        ("task.accepted"u8.ToArray(), ServerMessageType.TaskAccepted),
        ("task.queued"u8.ToArray(), ServerMessageType.TaskQueued),
        ("task.failed"u8.ToArray(), ServerMessageType.TaskFailed),
        ("task.cancelled"u8.ToArray(), ServerMessageType.TaskCancelled),
        ("task.interrupted"u8.ToArray(), ServerMessageType.TaskInterrupted),
        ("task.cancel.result"u8.ToArray(), ServerMessageType.TaskCancelResult),
        ("welcome"u8.ToArray(), ServerMessageType.Welcome),
        ("reset"u8.ToArray(), ServerMessageType.Reset),
        ("error"u8.ToArray(), ServerMessageType.Error),
    ];

    /// <summary>The <c>type</c> of one whole message; <see cref="ServerMessageType.Unknown"/> when it has none this client knows.</summary>
    /// <exception cref="JsonException">The message is not JSON.</exception>
    public static ServerMessageType ReadType(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ServerMessageType.Unknown;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("type"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return ServerMessageType.Unknown;
            }

            foreach (var (text, type) in Types)
            {
                if (reader.ValueTextEquals(text))
                {
                    return type;
                }
            }

            return ServerMessageType.Unknown;
        }

        return ServerMessageType.Unknown;
    }

    /// <summary>An <c>error</c> answer as the exception <see cref="SessionSocket"/> would throw for it.</summary>
    public static SessionProtocolException ReadError(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        return SessionProtocolException.FromError(document.RootElement);
    }

    /// <summary>Whether the message is one of a task's events (they carry a <c>seq</c>), not an answer.</summary>
    public static bool IsTaskEvent(this ServerMessageType type) => type >= ServerMessageType.TaskQueued;

    /// <summary>Whether the event ends its task: completed, failed, cancelled or interrupted.</summary>
    public static bool IsTaskOutcome(this ServerMessageType type) => type >= ServerMessageType.TaskCompleted;
}
