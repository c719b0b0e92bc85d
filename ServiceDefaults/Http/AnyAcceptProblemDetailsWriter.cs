using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults.Http;

/// <summary>
/// ASP.NET Core's own problem-details writer, made to answer every client: by itself it writes only for an
/// <c>Accept</c> that names JSON (or none), so a browser's <c>Accept: text/html</c> got a plain-text or empty error.
/// </summary>
public sealed class AnyAcceptProblemDetailsWriter(IProblemDetailsWriter framework) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => framework.WriteAsync(context);

    /// <summary>Wraps the writer <c>AddProblemDetails</c> registered; call after it.</summary>
    public static IServiceCollection Replace(IServiceCollection services)
    {
        var registered = services.Single(descriptor => descriptor.ServiceType == typeof(IProblemDetailsWriter) && descriptor.ImplementationType is not null);
        services.Remove(registered);
        services.AddSingleton<IProblemDetailsWriter>(provider =>
            new AnyAcceptProblemDetailsWriter((IProblemDetailsWriter)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        return services;
    }
}
