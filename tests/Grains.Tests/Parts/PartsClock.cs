using Microsoft.Extensions.Time.Testing;

namespace Grains.Tests.Parts;

/// <summary>What the plain parts' tests share: a fake clock at a fixed start, and a session that exists.</summary>
internal static class PartsClock
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider New() => new(Start);

    public static SessionState NewSession(FakeTimeProvider clock) =>
        new() { Exists = true, CreatedAt = clock.GetUtcNow(), LastActiveAt = clock.GetUtcNow() };
}
