using Sessions.Client;

namespace Api.Tests.Client;

internal static class EventLog
{
    /// <summary>Reads the socket's stream, bounded, until the task's final event; <paramref name="onEvent"/> may act midway.</summary>
    public static Task<List<SessionSocketEvent>> ReadUntilFinishedAsync(SessionSocket socket, string taskId, Func<SessionSocketEvent, Task>? onEvent = null) =>
        ReadUntilAsync(socket, message => message.Task is { } task && task.Id == taskId && task.IsFinished, onEvent, TimeSpan.FromSeconds(40));

    /// <summary>
    /// Reads the socket's stream, bounded, up to and including the first message that matches <paramref name="last"/>;
    /// <paramref name="onEvent"/> sees each message first.
    /// </summary>
    public static async Task<List<SessionSocketEvent>> ReadUntilAsync(
        SessionSocket socket, Func<SessionSocketEvent, bool> last, Func<SessionSocketEvent, Task>? onEvent = null, TimeSpan? within = null)
    {
        var received = new List<SessionSocketEvent>();
        await foreach (var message in socket.ReadEventsAsync(Deadline.Token(within)))
        {
            received.Add(message);
            if (onEvent is not null)
            {
                await onEvent(message);
            }

            if (last(message))
            {
                break;
            }
        }

        return received;
    }

    /// <summary>The seqs of the task events, which must be 1, 2, 3... for a session whose events all stayed in one silo.</summary>
    public static long[] TaskEventSeqs(IEnumerable<SessionSocketEvent> received) =>
        [.. received.Where(message => message.IsTaskEvent).Select(message => message.Seq)];
}
