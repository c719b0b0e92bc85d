using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Http;

/// <summary>
/// In the Development environment a 500's problem details carry the exception (type, message, stack) under
/// <c>exception</c>, so a failing call shows its cause in the client; elsewhere they never do.
/// </summary>
public static class DevelopmentExceptionDetails
{
    public const string ExtensionName = "exception";

    public static IServiceCollection AddDevelopmentExceptionDetails(this IServiceCollection services)
    {
        services.AddOptions<ProblemDetailsOptions>().PostConfigure<IHostEnvironment>((options, environment) =>
        {
            if (!environment.IsDevelopment())
            {
                return;
            }

            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                var exception = context.Exception ?? context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
                if (exception is not null and not BadHttpRequestException && context.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
                {
                    context.ProblemDetails.Extensions[ExtensionName] = exception.ToString();
                }
            };
        });
        return services;
    }
}
