using System.ComponentModel.DataAnnotations;

namespace Api.Http;

/// <summary>The per-client-address token bucket; bound from the <c>RateLimiting</c> section.</summary>
internal sealed class ClientRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Off only where something in front (a gateway) already limits per client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second one address may make, sustained (WebSocket upgrades count; messages do not).</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 10_000;

    /// <summary>How many requests one address may make at once before the sustained rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 20_000;
}
