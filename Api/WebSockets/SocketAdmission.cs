using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Api.WebSockets;

/// <summary>
/// Decides, before the upgrade, whether a WebSocket may open: its browser origin must be allowed
/// (cross-site WebSocket hijacking), and the front end must have room under <see cref="WebSocketLimits.MaxConnections"/>.
/// </summary>
internal sealed class SocketAdmission(IOptions<WebSocketLimits> limits)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>A lease to hold while the socket is open, or the problem to answer instead of upgrading.</summary>
    public (IDisposable? Lease, ProblemHttpResult? Problem) TryAdmit(HttpContext context)
    {
        if (!IsOriginAllowed(context.Request))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed",
                detail: "This WebSocket does not accept upgrades from that origin; allowed origins are set in WebSockets:AllowedOrigins."));
        }

        if (Interlocked.Increment(ref _open) > limits.Value.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            context.Response.Headers.RetryAfter = "5";
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many sockets",
                detail: $"This front end holds its limit of {limits.Value.MaxConnections} sockets (WebSockets:MaxConnections); retry, or connect to another."));
        }

        return (new Lease(this), null);
    }

    private bool IsOriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true; // Not a browser: origins protect browsers' cookies and sessions, not other clients.
        }

        var allowed = limits.Value.AllowedOrigins;
        if (allowed.Contains("*", StringComparer.Ordinal) || allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // With no list, a page may open sockets to the host that served it, and nothing else.
        return allowed.Length == 0
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Lease(SocketAdmission admission) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref admission._open);
            }
        }
    }
}
