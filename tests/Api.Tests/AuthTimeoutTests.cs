using System.Net.WebSockets;
using Api.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Api.Tests;

/// <summary>The auth deadline over a real socket, on a front end whose clock the test moves.</summary>
public sealed class AuthTimeoutTests
{
    [Fact]
    public async Task A_socket_that_never_authenticates_is_closed_with_1008_once_the_front_end_clock_passes_the_timeout()
    {
        var clock = new FakeTimeProvider();
        await using var host = ApiHost.Start(
            ApiHost.CoHostedSettings(),
            services => services.AddKeyedSingleton<TimeProvider>(FrontEndClock.Key, clock));
        using var api = new SessionApiClient(host);
        var (id, _, _) = await api.CreateSessionAsync();
        using var silent = await ProtocolClient.ConnectAsync(host, id, headerToken: null);

        var closed = silent.Socket.ReceiveCloseAsync();

        // The server arms the deadline just after the upgrade: move the clock on until it has.
        var until = DateTime.UtcNow + Deadline.Default;
        while (!closed.IsCompleted && DateTime.UtcNow < until)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(closed, Task.Delay(20));
        }

        var status = await closed;
        await silent.Socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Authentication timed out", silent.Socket.Socket.CloseStatusDescription);
    }
}
