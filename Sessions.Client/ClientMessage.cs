using System.Buffers;
using System.Text.Json;

namespace Sessions.Client;

/// <summary>Requests to the server as UTF-8 JSON text messages (docs/protocol.md), each carrying <c>ref</c> for its answer.</summary>
public static class ClientMessage
{
    /// <summary><c>{"type":"auth","token":…}</c>: the first message of a socket opened without the Authorization header.</summary>
    public static byte[] Auth(string token) => Write(writer =>
    {
        writer.WriteString("type"u8, "auth"u8);
        writer.WriteString("token"u8, token);
    });

    public static byte[] Echo(string data, string reference) => Write(writer =>
    {
        writer.WriteString("type"u8, "echo"u8);
        writer.WriteString("data"u8, data);
        writer.WriteString("ref"u8, reference);
    });

    /// <summary><c>task.start</c> with the fields of <paramref name="task"/>; a repeated <paramref name="idempotencyKey"/> answers the original task.</summary>
    public static byte[] TaskStart(TaskStartRequest task, string reference, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Write(writer =>
        {
            writer.WriteString("type"u8, "task.start"u8);
            writer.WriteString("kind"u8, task.Kind);
            if (task.Seconds is { } seconds)
            {
                writer.WriteNumber("seconds"u8, seconds);
            }

            if (task.Work is { } work)
            {
                writer.WriteNumber("work"u8, work);
            }

            if (task.OnDisconnect is { } policy)
            {
                writer.WriteStartObject("onDisconnect"u8);
                writer.WriteNumber("cancelAfterSeconds"u8, policy.CancelAfterSeconds);
                writer.WriteEndObject();
            }

            if (idempotencyKey is not null)
            {
                writer.WriteString("idempotencyKey"u8, idempotencyKey);
            }

            writer.WriteString("ref"u8, reference);
        });
    }

    public static byte[] TaskCancel(string taskId, string reference) => Write(writer =>
    {
        writer.WriteString("type"u8, "task.cancel"u8);
        writer.WriteString("id"u8, taskId);
        writer.WriteString("ref"u8, reference);
    });

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
