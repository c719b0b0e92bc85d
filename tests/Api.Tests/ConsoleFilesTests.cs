using System.Net;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class ConsoleFilesTests(CoHostedApiFixture fixture)
{
    [Fact]
    public async Task The_console_is_served_at_the_root_with_a_same_origin_content_policy()
    {
        using var http = fixture.Host.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"js/console.js\"></script>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/scalar/v1\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/js/console.js")]
    [InlineData("/js/session-client.js")]
    [InlineData("/js/task-list.js")]
    public async Task The_console_s_modules_are_served_as_javascript(string path)
    {
        using var http = fixture.Host.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }
}
