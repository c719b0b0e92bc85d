using System.Threading.Channels;
using Grains.Abstractions;

namespace Grains.Tests;

/// <summary>A real grain observer, registered with the test cluster's client, that keeps what it is told.</summary>
internal sealed class EventRecorder : ISessionObserver
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>();

    private EventRecorder(IGrainFactory grains) => Reference = grains.CreateObjectReference<ISessionObserver>(this);

    public ISessionObserver Reference { get; }

    public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static EventRecorder Create(IGrainFactory grains) => new(grains);

    /// <summary>Whether an event ends its task: a chain read up to it holds the task's whole story.</summary>
    public static bool IsFinal(SessionEvent e) => e.Kind is not (SessionEventKind.TaskQueued or SessionEventKind.TaskStarted or SessionEventKind.TaskProgress);

    public Task OnEvent(SessionEvent sessionEvent)
    {
        _events.Writer.TryWrite(sessionEvent);
        return Task.CompletedTask;
    }

    public Task OnSessionEnded(string reason)
    {
        Ended.TrySetResult(reason);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The events after <paramref name="fromSeq"/> in sequence order, up to the first that matches
    /// <paramref name="last"/>. One-way messages may arrive out of order, so this follows the PreviousSeq links
    /// the way a front end does, and waits for any that are still on their way.
    /// </summary>
    public async Task<List<SessionEvent>> ReadChainAsync(long fromSeq, Func<SessionEvent, bool> last)
    {
        var byPrevious = new Dictionary<long, SessionEvent>();
        var token = Deadline.Token();
        while (true)
        {
            var next = await _events.Reader.ReadAsync(token);
            byPrevious[next.PreviousSeq] = next;
            var chain = new List<SessionEvent>();
            for (var at = fromSeq; byPrevious.TryGetValue(at, out var linked); at = linked.Seq)
            {
                chain.Add(linked);
                if (last(linked))
                {
                    return chain;
                }
            }
        }
    }

    /// <summary>Whatever has arrived, without waiting.</summary>
    public List<SessionEvent> Drain()
    {
        var read = new List<SessionEvent>();
        while (_events.Reader.TryRead(out var next))
        {
            read.Add(next);
        }

        return read;
    }
}
