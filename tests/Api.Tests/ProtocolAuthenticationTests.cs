using System.Net.WebSockets;
using System.Text.Json;
using Api.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

public sealed class ProtocolAuthenticationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_socket_that_has_not_authenticated_when_the_timeout_passes_is_closed_with_1008()
    {
        var clock = new FakeTimeProvider();
        var socket = new RecordingSessionSocket();
        using var authentication = new ProtocolAuthentication(socket, CallTimeout, clock, CancellationToken.None);

        authentication.StartDeadline(Timeout);
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
        using var authentication = new ProtocolAuthentication(socket, CallTimeout, clock, CancellationToken.None);

        authentication.StartDeadline(Timeout);
        clock.Advance(Timeout / 2);
        await authentication.AcceptAsync();
        clock.Advance(Timeout);

        Assert.Empty(socket.Closes);
        Assert.True(authentication.IsAuthenticated);
        Assert.Equal(1, socket.EventStarts);
    }

    [Fact]
    public async Task An_auth_message_whose_session_never_answers_fails_after_the_call_timeout()
    {
        var clock = new FakeTimeProvider();
        var socket = new RecordingSessionSocket();
        using var authentication = new ProtocolAuthentication(socket, CallTimeout, clock, CancellationToken.None);
        using var message = JsonDocument.Parse("""{"type":"auth","token":"t"}""");

        var authenticating = authentication.AuthenticateAsync("auth", message.RootElement, SilentSessionGrain.Create());
        clock.Advance(CallTimeout - TimeSpan.FromMilliseconds(1));
        var doneBefore = authenticating.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        // Bounded only in case the fake clock's deadline never fires; it fires within the Advance above.
        await Task.WhenAny(authenticating, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.False(doneBefore);
        Assert.IsType<TimeoutException>(authenticating.Exception?.InnerException);
        Assert.False(authentication.IsAuthenticated);
        Assert.Empty(socket.Closes);
    }
}
