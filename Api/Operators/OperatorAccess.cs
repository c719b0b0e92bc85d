using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Api.Operators;

/// <summary>
/// Keeps the dashboard and <c>/metrics</c> off the public internet: clients from the allowed networks
/// (loopback by default) get in; others need the configured Basic credentials, else 401 (or 403 when
/// none are configured). Health endpoints stay open for orchestrators' probes; they reveal only a status.
/// </summary>
internal static class OperatorAccess
{
    public static IApplicationBuilder UseOperatorAccess(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/dashboard") || context.Request.Path.StartsWithSegments("/metrics"),
            branch => branch.Use(async (context, next) =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<OperatorAccessOptions>>().Value;
                if (IsAllowed(context, options))
                {
                    await next(context);
                    return;
                }

                var credentialsConfigured = !string.IsNullOrEmpty(options.Password);
                if (credentialsConfigured)
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"operators\"";
                }

                await Results.Problem(
                    statusCode: credentialsConfigured ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden,
                    title: "Operators only",
                    detail: "The dashboard and /metrics answer clients from Dashboard:AllowedNetworks, or with the Basic credentials in Dashboard:Username and Dashboard:Password.")
                    .ExecuteAsync(context);
            }));

    private static bool IsAllowed(HttpContext context, OperatorAccessOptions options)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null)
        {
            var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            if (options.Networks.Any(network => network.Contains(address)))
            {
                return true;
            }
        }

        return !string.IsNullOrEmpty(options.Password) && HasCredentials(context.Request, options.Username ?? "", options.Password);
    }

    private static bool HasCredentials(HttpRequest request, string username, string password)
    {
        const string Scheme = "Basic ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(header[Scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{username}:{password}");
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(expected));
    }
}
