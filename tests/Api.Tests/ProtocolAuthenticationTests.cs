using System.Net.WebSockets;
using Api.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class ProtocolAuthenticationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_socket_that_has_not_authenticated_when_the_timeout_passes_is_closed_with_1008()
    {
        var clock = new FakeTimeProvider();
        var socket = new RecordingSessionSocket();
        using var authentication = new ProtocolAuthentication(socket);

        authentication.StartDeadline(Timeout, clock);
        clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        var closesBefore = socket.Closes.Count;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, closesBefore);
        Assert.Equal([(WebSocketCloseStatus.PolicyViolation, "Authentication timed out")], socket.Closes);
        Assert.False(authentication.IsAuthenticated);
    }

    [Fact]
    public async Task A_socket_accepted_before_the_timeout_stays_open_and_starts_its_events()
    {
        var clock = new FakeTimeProvider();
        var socket = new RecordingSessionSocket();
        using var authentication = new ProtocolAuthentication(socket);

        authentication.StartDeadline(Timeout, clock);
        clock.Advance(Timeout / 2);
        await authentication.AcceptAsync();
        clock.Advance(Timeout);

        Assert.Empty(socket.Closes);
        Assert.True(authentication.IsAuthenticated);
        Assert.Equal(1, socket.EventStarts);
    }
}
