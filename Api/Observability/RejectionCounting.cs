namespace Api.Observability;

internal static class RejectionCounting
{
    /// <summary>Counts every HTTP request the service refuses, by what it answered.</summary>
    public static IApplicationBuilder UseRejectionCounting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var reason = context.Response.StatusCode switch
        {
            StatusCodes.Status400BadRequest => "bad_request",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status413PayloadTooLarge => "payload_too_large",
            StatusCodes.Status422UnprocessableEntity => "unprocessable",
            StatusCodes.Status429TooManyRequests => "too_many_requests",
            StatusCodes.Status503ServiceUnavailable => "unavailable",
            _ => null,
        };
        if (reason is not null)
        {
            context.RequestServices.GetRequiredService<FrontEndMetrics>().Rejected(reason);
        }
    });
}
