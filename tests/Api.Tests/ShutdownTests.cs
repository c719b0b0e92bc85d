using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net.WebSockets;

namespace Api.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_closes_open_sockets_with_1001()
    {
        var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var client = await SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"));
        await client.SendTextAsync("before shutdown");
        Assert.Equal("Echo: before shutdown", await client.ReceiveTextAsync());

        var stopping = host.DisposeAsync().AsTask();
        var status = await client.ReceiveCloseAsync();
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        await stopping.WaitAsync(Deadline.Default);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Fact]
    public async Task Stopping_the_single_process_service_with_live_sessions_logs_no_session_warnings()
    {
        var logs = new CapturedLogs();
        var host = ApiHost.Start(ApiHost.CoHostedSettings(), services => services.AddSingleton<ILoggerProvider>(logs));
        using (var api = new SessionApiClient(host))
        {
            for (var i = 0; i < 50; i++)
            {
                (await api.CreateSessionAsync()).Response.Dispose();
            }
        }

        await host.DisposeAsync().AsTask().WaitAsync(Deadline.Default);

        // Retention lives in the store, not in reminders: stopping with live sessions leaves the grains nothing to log.
        Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Grains.", StringComparison.Ordinal));
    }
}
