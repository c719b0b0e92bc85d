using Grains.Abstractions;

namespace Api.Sessions;

/// <summary>Checks the route's session id and the caller's token once for every endpoint of a group.</summary>
internal sealed class SessionTokenFilter(IGrainFactory grains) : IEndpointFilter
{
    public const string RouteValue = "id";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!SessionId.TryParse(http.GetRouteValue(RouteValue) as string, out var sessionId))
        {
            return SessionProblems.MalformedId("the path");
        }

        return await SessionAccess.RefusalAsync(http, sessionId, grains) ?? await next(context);
    }
}
