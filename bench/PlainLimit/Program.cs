using System.Net.WebSockets;
using System.Text;

// The limit: the seed's two endpoints on plain ASP.NET Core, with no Orleans (and no session) in the path.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

// The same listen backlog as the service (Http:ListenBacklog), so a burst of connects is not measured as SYN retries.
builder.WebHost.UseSockets(transport => transport.Backlog = builder.Configuration.GetValue("Http:ListenBacklog", 4096));
var wait = TimeSpan.FromSeconds(builder.Configuration.GetValue("Process:Seconds", 5.0));
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

app.MapGet("/process", async (CancellationToken cancellationToken) =>
{
    await Task.Delay(wait, cancellationToken);
    return TypedResults.Ok(new ProcessResult("Done!"));
});

app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await EchoAsync(socket, context.RequestAborted);
});

app.Run();

static async Task EchoAsync(WebSocket socket, CancellationToken cancellationToken)
{
    const int MaxMessageBytes = 64 * 1024;
    var buffer = new byte[4096];
    var prefix = "Echo: "u8.ToArray();
    try
    {
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Too big", cancellationToken);
                        return;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            var reply = new byte[prefix.Length + length];
            prefix.CopyTo(reply, 0);
            buffer.AsSpan(0, length).CopyTo(reply.AsSpan(prefix.Length));
            await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }
    catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
    {
        // The client went away; nothing to answer.
    }
}

internal sealed record ProcessResult(string Status);
