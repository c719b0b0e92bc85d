using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace ServiceDefaults.Http;

/// <summary>
/// ASP.NET Core's <c>AllowedHosts</c> setting, answered with problem details: a request whose <c>Host</c> is not
/// listed gets 400 before anything else runs. Loopback names by default, so a web page whose DNS name was rebound
/// to 127.0.0.1 can neither read loopback-only endpoints (<c>/metrics</c>, the dashboard) nor pass the
/// same-host origin check of a WebSocket upgrade. <c>/health/*</c> answers whatever the <c>Host</c>: an
/// orchestrator probes the pod's IP address, and those endpoints show only a status.
/// </summary>
public static class KnownHostFiltering
{
    public const string SettingName = "AllowedHosts";

    private const string HealthPath = "/health";

    /// <summary>
    /// Turns off the framework's own filter, which would answer an HTML page; <see cref="UseKnownHostFiltering"/>
    /// applies the same setting in its place.
    /// </summary>
    public static IServiceCollection AddKnownHostFiltering(this IServiceCollection services) =>
        services.Configure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);

    public static IApplicationBuilder UseKnownHostFiltering(this IApplicationBuilder app)
    {
        var configured = app.ApplicationServices.GetRequiredService<IConfiguration>()[SettingName];
        if (AllowedHosts(configured) is not { } allowed)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            var host = context.Request.Host;
            if (!host.HasValue || context.Request.Path.StartsWithSegments(HealthPath) || HostString.MatchesAny(host.Host, allowed))
            {
                await next(context);
                return;
            }

            await Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Unknown host",
                detail: $"This service answers only the host names in {SettingName}.")
                .ExecuteAsync(context);
        });
    }

    /// <summary>The listed host patterns, or null when every host is allowed (unset or <c>*</c>).</summary>
    private static List<StringSegment>? AllowedHosts(string? configured)
    {
        var hosts = (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return hosts.Length == 0 || hosts.Contains("*") ? null : [.. hosts.Select(host => new StringSegment(host))];
    }
}
