using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Api.Http;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per client address; an empty bucket is answered
/// 429 with <c>Retry-After</c> at once (nothing queues). Health probes are never limited.
/// </summary>
internal static class ClientRateLimiting
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<ClientRateLimitOptions>()
            .BindConfiguration(ClientRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ClientRateLimitOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                !limits.Enabled || context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                    : RateLimitPartition.GetTokenBucketLimiter(ClientAddress(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst,
                        TokensPerPeriod = limits.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    private static IPAddress ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped
            ? mapped.MapToIPv4()
            : context.Connection.RemoteIpAddress ?? IPAddress.None;

    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var response = rejected.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ValueTask(Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"This address made more requests than RateLimiting:PermitsPerSecond allows; retry after {seconds} s.")
            .ExecuteAsync(rejected.HttpContext));
    }
}
