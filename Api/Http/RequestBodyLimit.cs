using Microsoft.Extensions.Options;

namespace Api.Http;

internal static class RequestBodyLimit
{
    /// <summary>
    /// A request that declares a body over <see cref="HttpLimits.MaxRequestBodyBytes"/> is answered 413 before any
    /// endpoint runs. Kestrel enforces the same limit only while a body is read, so an endpoint that ignores its body
    /// would otherwise accept one; a chunked body is still caught by Kestrel as it is read.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<HttpLimits>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large",
                detail: $"Request bodies are limited to {limit} bytes.").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
