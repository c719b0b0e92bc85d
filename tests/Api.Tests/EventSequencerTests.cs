using Api.Events;
using Grains.Abstractions;

namespace Api.Tests;

public sealed class EventSequencerTests
{
    [Fact]
    public void Events_that_arrive_out_of_order_are_delivered_in_order_once_the_gap_fills()
    {
        var sink = new RecordingSink();
        var events = new EventSequencer(sink);
        events.Apply(Connected(seq: 10));

        events.Offer(Event(12, after: 11));
        var whileMissing = events.IsMissingEvents;
        events.Offer(Event(11, after: 10));

        Assert.True(whileMissing);
        Assert.True(events.ResyncRequested.IsCompleted);
        Assert.Equal([11, 12], sink.Delivered);
        Assert.False(events.IsMissingEvents);
        Assert.Equal(12, events.Delivered);
    }

    [Fact]
    public void A_renewal_answer_fills_the_gap_and_repeats_nothing()
    {
        var sink = new RecordingSink();
        var events = new EventSequencer(sink);
        events.Apply(Connected(seq: 0));
        events.Offer(Event(1, after: 0));
        events.Offer(Event(3, after: 2));

        events.Apply(Connected(seq: 3, Event(1, after: 0), Event(2, after: 1), Event(3, after: 2)));

        Assert.Equal([1, 2, 3], sink.Delivered);
        Assert.False(events.IsMissingEvents);
    }

    [Fact]
    public void A_reset_answer_replaces_what_is_held_and_continues_from_its_position()
    {
        var sink = new RecordingSink();
        var events = new EventSequencer(sink);
        events.Apply(Connected(seq: 0));
        events.Offer(Event(5, after: 4));

        events.Apply(Connected(seq: 9) with { ResetReason = "log truncated" });
        events.Offer(Event(10, after: 9));

        Assert.Equal(1, sink.Resets);
        Assert.Equal([10], sink.Delivered);
        Assert.False(events.IsMissingEvents);
    }

    [Fact]
    public void A_gap_that_holds_too_many_events_drops_them_and_stays_missing_until_an_answer_fills_it()
    {
        var sink = new RecordingSink();
        var events = new EventSequencer(sink);
        events.Apply(Connected(seq: 0));
        events.RearmResync();

        for (var seq = 2; seq <= 2000; seq++)
        {
            events.Offer(Event(seq, after: seq - 1));
        }

        Assert.True(events.ResyncRequested.IsCompleted);
        Assert.True(events.IsMissingEvents);
        Assert.Empty(sink.Delivered);

        // The missing event alone releases only what is still held: at most the cap, not all 1,999.
        events.Apply(Connected(seq: 1, Event(1, after: 0)));
        Assert.InRange(sink.Delivered.Count, 1, 1025);
        Assert.True(events.IsMissingEvents);

        events.Apply(Connected(seq: 2000, [.. Enumerable.Range(1, 2000).Select(seq => Event(seq, after: seq - 1))]));

        Assert.Equal(Enumerable.Range(1, 2000).Select(seq => (long)seq), sink.Delivered);
        Assert.False(events.IsMissingEvents);
    }

    private static SessionConnection Connected(long seq, params SessionEvent[] missed) =>
        new() { Seq = seq, Missed = missed, Lease = TimeSpan.FromSeconds(30) };

    private static SessionEvent Event(long seq, long after) => new()
    {
        Seq = seq,
        PreviousSeq = after,
        Kind = SessionEventKind.TaskProgress,
        At = DateTimeOffset.UnixEpoch,
        Task = new TaskRecord { Id = "1", Kind = SessionTaskKind.Sleep, Status = SessionTaskStatus.Running, CreatedAt = DateTimeOffset.UnixEpoch },
    };

    private sealed class RecordingSink : ISessionEventSink
    {
        public List<long> Delivered { get; } = [];

        public int Resets { get; private set; }

        public void OnConnected(SessionConnection connection)
        {
        }

        public void OnEvent(SessionEvent sessionEvent) => Delivered.Add(sessionEvent.Seq);

        public void OnReset(SessionConnection connection) => Resets++;

        public void OnSessionEnded(string reason)
        {
        }
    }
}
