using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Client;

namespace Api.Tests.Client;

public sealed class SessionSocketCloseTests
{
    [Fact]
    public async Task A_close_from_the_service_is_answered_so_the_service_logs_a_clean_close()
    {
        var logs = new CapturedLogs { Minimum = LogLevel.Information };
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings(), services => services.AddSingleton<ILoggerProvider>(logs));
        using var http = host.CreateHttpClient();
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync();
        await using var socket = await SessionSocket.ConnectAsync(host.BaseAddress, session);

        await api.DeleteSessionAsync(session);
        var ended = await Assert.ThrowsAnyAsync<Exception>(() => EventLog.ReadUntilAsync(socket, _ => false));

        // Bounded: the service logs the socket's end once its receive loop has seen the client's close frame, or the lack of one.
        var closed = await Deadline.PollAsync(
            () => Task.FromResult(logs.Entries.Where(entry => entry.Message.Contains($"of session {session.Id} closed", StringComparison.Ordinal)).ToList()),
            entries => entries.Count > 0);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, Assert.IsType<SessionSocketClosedException>(ended as SessionSocketClosedException ?? ended.InnerException).Status);
        Assert.Contains("closed (session ended)", Assert.Single(closed).Message, StringComparison.Ordinal);
    }
}
