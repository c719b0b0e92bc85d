namespace Grains.Abstractions;

/// <summary>A new session and its resume token, which is returned this once and never stored in clear.</summary>
[GenerateSerializer, Immutable, Alias("SessionCreated")]
public sealed record SessionCreated
{
    [Id(0)] public required SessionSnapshot Session { get; init; }
    [Id(1)] public required string ResumeToken { get; init; }
}
