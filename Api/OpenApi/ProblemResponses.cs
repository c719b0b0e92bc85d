using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Api.OpenApi;

/// <summary>
/// The error answers an endpoint can give, declared for the OpenAPI document: every one is RFC 9457 problem
/// details (<c>application/problem+json</c>).
/// </summary>
internal static class ProblemResponses
{
    private const string ProblemContentType = "application/problem+json";

    /// <summary>
    /// What any endpoint can answer before or around its handler: 400 (a Host outside AllowedHosts, a malformed
    /// request), 429 (the per-client rate limit), 500, 503 (the cluster cannot be reached) and 504 (Http:RequestTimeout).
    /// </summary>
    public static readonly int[] Common =
    [
        StatusCodes.Status400BadRequest,
        StatusCodes.Status429TooManyRequests,
        StatusCodes.Status500InternalServerError,
        StatusCodes.Status503ServiceUnavailable,
        StatusCodes.Status504GatewayTimeout,
    ];

    /// <summary>Declares the common problems and <paramref name="statusCodes"/> of this endpoint.</summary>
    public static TBuilder WithProblems<TBuilder>(this TBuilder endpoint, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in Common.Concat(statusCodes).Distinct())
        {
            endpoint.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [ProblemContentType]));
        }

        return endpoint;
    }
}
