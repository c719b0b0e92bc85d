using Grains.Abstractions;

namespace Grains.Tests;

public sealed class SessionIdTests
{
    [Fact]
    public void New_ids_are_22_url_safe_characters_that_parse_back()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionId.New()).ToList();

        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{22}$", id.Value));
        Assert.All(ids, id => Assert.True(SessionId.TryParse(id.Value, out var parsed) && parsed == id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAA AA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA+/")]
    [InlineData("../../../../etc/passwd")]
    public void Anything_but_the_canonical_spelling_is_rejected(string? text)
    {
        Assert.False(SessionId.TryParse(text, out _));
    }
}
