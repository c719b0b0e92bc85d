using Sessions.Client;

namespace Api.Tests.Client;

internal static class EventLog
{
    /// <summary>Reads the socket's stream, bounded, until the task's final event; <paramref name="onEvent"/> may act midway.</summary>
    public static async Task<List<SessionSocketEvent>> ReadUntilFinishedAsync(SessionSocket socket, string taskId, Func<SessionSocketEvent, Task>? onEvent = null)
    {
        var received = new List<SessionSocketEvent>();
        await foreach (var message in socket.ReadEventsAsync(Deadline.Token(TimeSpan.FromSeconds(40))))
        {
            received.Add(message);
            if (onEvent is not null)
            {
                await onEvent(message);
            }

            if (message.Task is { } task && task.Id == taskId && task.IsFinished)
            {
                return received;
            }
        }

        return received;
    }

    /// <summary>Reads the socket's stream, bounded, up to and including the first message that matches <paramref name="last"/>.</summary>
    public static async Task<List<SessionSocketEvent>> ReadUntilAsync(SessionSocket socket, Func<SessionSocketEvent, bool> last)
    {
        var received = new List<SessionSocketEvent>();
        await foreach (var message in socket.ReadEventsAsync(Deadline.Token()))
        {
            received.Add(message);
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
