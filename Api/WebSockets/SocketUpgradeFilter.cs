namespace Api.WebSockets;

/// <summary>
/// What every WebSocket endpoint checks before its handler: the request is an upgrade (else 400 or 426 saying how to
/// connect) and <see cref="SocketAdmission"/> lets it in; the place it takes is held until the handler, which runs
/// the socket, returns.
/// </summary>
internal sealed class SocketUpgradeFilter(string path, string example) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return WebSocketProblems.UpgradeRequired(context, path, example);
        }

        var (lease, refused) = context.RequestServices.GetRequiredService<SocketAdmission>().TryAdmit(context);
        if (refused is not null)
        {
            return refused;
        }

        using (lease)
        {
            return await next(invocation);
        }
    }
}
