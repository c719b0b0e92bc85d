using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Api.Http;
using Api.WebSockets;
using Grains.Abstractions;

namespace Api.Protocol;

/// <summary>
/// Reads a session socket's messages: checks each is a JSON object with a <c>type</c>, hands the first to
/// authentication, then routes by type, and answers a storage or cluster outage the way HTTP does.
/// </summary>
internal sealed class ProtocolDispatcher(
    ISessionSocket socket,
    ProtocolAuthentication authentication,
    SessionRequests requests,
    ProtocolErrors errors,
    SessionSocketContext context,
    WebSocketLimits limits,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    private readonly OutageClock _outage = new(clock);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask HandleAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, DocumentOptions);
        }
        catch (JsonException exception)
        {
            Malformed("invalid_json", $"The message is not valid JSON: {exception.Message}", "$");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (DecodableJson.MayHoldBadEscape(message.Span) && !DecodableJson.AllStringsDecode(root))
            {
                Malformed("invalid_json", DecodableJson.Problem, "$");
                return;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                Malformed("invalid_message", "Each message is a JSON object with a \"type\", e.g. {\"type\":\"echo\",\"data\":\"hi\"}.", "type");
                return;
            }

            JsonElement? reference = root.TryGetProperty("ref", out var r) ? r.Clone() : null;
            try
            {
                if (!authentication.IsAuthenticated)
                {
                    await authentication.AuthenticateAsync(type.GetString(), root, requests.Session);
                    return;
                }

                await RouteAsync(type.GetString()!, root, reference);
                _outage.Ended();
            }
            catch (SessionNotFoundException)
            {
                // The session was deleted while this message was on its way.
                socket.OnSessionEnded("The session no longer exists.");
            }
            catch (Exception exception) when (DependencyOutage.Of(exception) is { } missing)
            {
                Unavailable(missing, exception, reference);
            }
        }
    }

    /// <summary>
    /// A request that met a storage or cluster outage is answered 503 naming the dependency, as over HTTP; the socket
    /// stays open for retries until the outage has outlasted <see cref="WebSocketLimits.RetryWindow"/>, then closes 1011.
    /// </summary>
    public void Unavailable(MissingDependency missing, Exception exception, JsonElement? reference)
    {
        WebSockets.Log.SessionCallFailed(logger, context.SessionId, context.ConnectionId, exception);
        socket.Send(new ErrorMessage(
            StatusCodes.Status503ServiceUnavailable, "unavailable", DependencyOutage.Detail(missing), null, reference, (int)DependencyOutage.RetryAfter.TotalSeconds));
        if (_outage.Failed() >= limits.RetryWindow)
        {
            socket.Close(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
        }
    }

    private Task RouteAsync(string type, JsonElement root, JsonElement? reference) => type switch
    {
        "echo" => requests.EchoAsync(root, reference),
        "task.start" => requests.StartTaskAsync(root, reference),
        "task.cancel" => requests.CancelTaskAsync(root, reference),
        "auth" => Refuse("already_authenticated", "This socket is already authenticated.", reference),
        _ => Refuse("unknown_type", $"Unknown type \"{type}\"; use echo, task.start or task.cancel.", reference),
    };

    /// <summary>A message that is not a protocol message: an error once authenticated, before that the same close as any other non-auth message.</summary>
    private void Malformed(string code, string detail, string field)
    {
        if (authentication.IsAuthenticated)
        {
            errors.Report(code, detail, field, null);
            return;
        }

        authentication.Refuse();
    }

    private Task Refuse(string code, string detail, JsonElement? reference)
    {
        errors.Report(code, detail, "type", reference);
        return Task.CompletedTask;
    }
}
