using System.Net.WebSockets;
using Api.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Api.Tests;

/// <summary>The auth deadline over a real socket, on a front end whose clock the test moves.</summary>
public sealed class AuthTimeoutTests
{
    [Fact]
    public async Task A_socket_that_never_authenticates_is_closed_with_1008_once_the_front_end_clock_passes_the_timeout()
    {
        // A timeout no other timer of the front end uses, so the test can tell when the socket's deadline is armed.
        var authTimeout = TimeSpan.FromSeconds(37);
        var settings = ApiHost.CoHostedSettings();
        settings["WebSockets:AuthTimeout"] = authTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var clock = new TimerWatchingClock();
        await using var host = ApiHost.Start(settings, services => services.AddKeyedSingleton<TimeProvider>(FrontEndClock.Key, clock));
        using var api = new SessionApiClient(host);
        var (id, _, _) = await api.CreateSessionAsync();
        using var silent = await ProtocolClient.ConnectAsync(host, id, headerToken: null);

        var closed = silent.Socket.ReceiveCloseAsync();

        // The server arms the deadline just after the upgrade: once it has (bounded wait), move the clock to it.
        await clock.NextTimerAsync(due => due == authTimeout);
        clock.Advance(authTimeout);

        var status = await closed;
        await silent.Socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Authentication timed out", silent.Socket.Socket.CloseStatusDescription);
    }
}
