using Xunit.Abstractions;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cluster.Tests;

/// <summary>Thousands of random frames at a running front end: it stays up, still answers correctly, and leaks no connection.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class RandomFrameTests(RunningClusterFixture fixture, ITestOutputHelper output)
{
    private const int Connections = 300;
    private const int InFlight = 16;

    private sealed record CreatedSession(string Id, string ResumeToken);

    [Fact]
    public async Task Random_frames_leave_the_front_end_up_correct_and_without_leaked_connections()
    {
        // A failure names its seed; FUZZ_SEED=<seed> replays exactly the same frames.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : 20261201;
        output.WriteLine($"FUZZ_SEED={seed}");
        var generator = new RandomFrames(seed);
        var plans = Enumerable.Range(0, Connections).Select(generator.NextPlan).ToList();

        // A front end of its own on the shared cluster, so its error log and connection counts are this test's alone.
        var (process, frontEnd) = await fixture.Cluster.StartFrontEndAsync();
        try
        {
            await PlayAllAsync(process, frontEnd, plans);
        }
        finally
        {
            await LocalCluster.StopAsync(process);
        }
    }

    private async Task PlayAllAsync(ChildProcess process, Uri frontEnd, List<RandomFrames.ConnectionPlan> plans)
    {
        using var frontHttp = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(20) };
        var silos = fixture.Cluster.RunningSiloHttp();
        using var created = await frontHttp.PostAsync(new Uri("/sessions", UriKind.Relative), content: null);
        var session = (await created.Content.ReadFromJsonAsync<CreatedSession>())!;
        var before = await ConnectionCounters.ReadAsync(frontHttp, silos);

        var sent = 0;
        using var gate = new SemaphoreSlim(InFlight);
        await Task.WhenAll(plans.Select(async plan =>
        {
            await gate.WaitAsync();
            try
            {
                Interlocked.Add(ref sent, await PlayAsync(frontEnd, session, plan));
            }
            finally
            {
                gate.Release();
            }
        }));

        var after = await Deadline.PollAsync(
            () => ConnectionCounters.ReadAsync(frontHttp, silos),
            read => read.Sockets == before.Sockets && read.Connections == before.Connections && read.Upgraded == before.Upgraded && read.Registered == before.Registered,
            TimeSpan.FromSeconds(60));
        var echoed = await EchoOnceAsync(frontEnd);
        var sessionEchoed = await SessionEchoOnceAsync(frontEnd, session);

        output.WriteLine($"{sent} frames on {Connections} connections");
        Assert.True(sent >= 2000, $"only {sent} frames were sent");
        Assert.False(process.HasExited, process.Output);
        Assert.True(process.ErrorLines == 0, process.ErrorOutput);
        Assert.Equal("Echo: still here", echoed);
        Assert.Equal("Echo: still here", sessionEchoed);
        Assert.Equal((before.Sockets, before.Connections, before.Upgraded, before.Registered), (after.Sockets, after.Connections, after.Upgraded, after.Registered));
    }

    /// <summary>Plays one connection's frames, reading whatever comes back; returns how many frames went out.</summary>
    private static async Task<int> PlayAsync(Uri frontEnd, CreatedSession session, RandomFrames.ConnectionPlan plan)
    {
        using var connection = plan.SessionProtocol
            ? await RawConnection.UpgradeAsync(frontEnd, $"/sessions/{session.Id}/ws", session.ResumeToken)
            : await RawConnection.UpgradeAsync(frontEnd, "/ws");
        var drained = connection.DrainUntilClosedAsync(TimeSpan.FromSeconds(30));
        var sent = 0;
        try
        {
            foreach (var frame in plan.Frames)
            {
                if (drained.IsCompleted)
                {
                    break;
                }

                await connection.SendFrameAsync(frame.Opcode, frame.Payload, frame.Fin, frame.ReservedBits, frame.Masked);
                sent++;
            }

            switch (plan.Ending)
            {
                case RandomFrames.Ending.CloseFrame:
                    await connection.SendFrameAsync(8, [0x03, 0xE8]);
                    await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2)));
                    break;
                case RandomFrames.Ending.HalfClose:
                    connection.ShutdownSend();
                    await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2)));
                    break;
                default:
                    await Task.WhenAny(drained, Task.Delay(TimeSpan.FromMilliseconds(200)));
                    break;
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The server closed the connection mid-plan, as it should for many of these frames.
        }

        connection.Reset();
        return sent;
    }

    private static async Task<string> EchoOnceAsync(Uri frontEnd)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri($"ws://{frontEnd.Authority}/ws"), timeout.Token);
        await socket.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    /// <summary>A well-formed session-protocol client: authenticate by header, skip the welcome, echo once.</summary>
    private static async Task<string?> SessionEchoOnceAsync(Uri frontEnd, CreatedSession session)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {session.ResumeToken}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri($"ws://{frontEnd.Authority}/sessions/{session.Id}/ws"), timeout.Token);
        await socket.SendAsync("""{"type":"echo","data":"still here"}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            using var message = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
            if (message.RootElement.GetProperty("type").GetString() == "echo")
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return message.RootElement.GetProperty("data").GetString();
            }
        }
    }
}
