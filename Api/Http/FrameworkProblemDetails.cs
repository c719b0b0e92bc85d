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

    private static string AllowedMethods(HttpContext http) =>
        http.Response.Headers.Allow is { Count: > 0 } allow ? string.Join(", ", allow.ToArray()) : "other methods";
}
