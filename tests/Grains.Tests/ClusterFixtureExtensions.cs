using Grains.Abstractions;

namespace Grains.Tests;

internal static class ClusterFixtureExtensions
{
    /// <summary>A session grain for a fresh id, created (open, no resume token).</summary>
    public static async Task<ISessionGrain> NewSessionAsync(this ClusterFixture fixture)
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        return grain;
    }
}
