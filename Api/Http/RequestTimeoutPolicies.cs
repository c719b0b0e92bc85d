using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace Api.Http;

/// <summary>
/// Request timeouts so no handler can hang: <see cref="HttpLimits.RequestTimeout"/> for every endpoint,
/// <see cref="HttpLimits.WaitingRequestTimeout"/> for those that wait for a task, none for WebSockets
/// (their lifetime is governed by keep-alive and the close handshake).
/// </summary>
internal static class RequestTimeoutPolicies
{
    public const string Waiting = "waiting";

    public static IServiceCollection AddRequestTimeoutPolicies(this IServiceCollection services)
    {
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<HttpLimits>>((options, limits) =>
        {
            options.DefaultPolicy = Policy(limits.Value.RequestTimeout);
            options.AddPolicy(Waiting, Policy(limits.Value.WaitingRequestTimeout));
        });
        return services;
    }

    private static RequestTimeoutPolicy Policy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = context => Results.Problem(
            statusCode: StatusCodes.Status504GatewayTimeout,
            title: "Request timed out",
            detail: $"The request did not complete within {timeout.TotalSeconds:0.###} s; what it started may still go on.")
            .ExecuteAsync(context),
    };
}
