namespace Api.Http;

/// <summary>
/// Problem details that routing and status-code pages write with no endpoint of ours involved (an unknown path, a
/// method the path does not take, a body that is not JSON) get a detail saying what to do instead.
/// </summary>
internal static class FrameworkProblemDetails
{
    public static IServiceCollection AddFrameworkProblemDetails(this IServiceCollection services) =>
        AnyAcceptProblemDetailsWriter.Replace(services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.Exception is { } exception && DependencyOutage.Of(exception) is { } missing)
            {
                DescribeOutage(context, exception, missing);
                return;
            }

            if (context.ProblemDetails.Detail is not null)
            {
                return;
            }

            if (context.Exception is BadHttpRequestException bad)
            {
                // Kestrel's own words: what was wrong with the request, with the limit it broke.
                context.ProblemDetails.Detail = bad.Message;
                return;
            }

            var http = context.HttpContext;
            context.ProblemDetails.Detail = context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound when http.GetEndpoint() is null =>
                    "No endpoint has this path; the API is described at /openapi/v1.json.",
                StatusCodes.Status405MethodNotAllowed =>
                    $"{http.Request.Path} takes {AllowedMethods(http)}.",
                StatusCodes.Status415UnsupportedMediaType =>
                    "Send the body as JSON with Content-Type: application/json.",
                _ => null,
            };
        }));

    /// <summary>A dependency that is down is the client's cue to come back later (503, Retry-After), not a fault of ours.</summary>
    private static void DescribeOutage(ProblemDetailsContext context, Exception exception, MissingDependency missing)
    {
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = ((int)DependencyOutage.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.ProblemDetails.Title = "Service Unavailable";
        context.ProblemDetails.Detail = DependencyOutage.Detail(missing);
        context.ProblemDetails.Extensions["dependency"] = DependencyOutage.Name(missing);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DependencyOutage));
        Log.DependencyUnavailable(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, DependencyOutage.Name(missing), exception);
    }

    private static string AllowedMethods(HttpContext http) =>
        http.Response.Headers.Allow is { Count: > 0 } allow ? string.Join(", ", allow.ToArray()) : "other methods";
}
