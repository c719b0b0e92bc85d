using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Api.Tests;

/// <summary>A 500's problem details carry the exception in Development (the launch profile's environment) and never elsewhere.</summary>
public sealed class DevelopmentExceptionDetailsTests
{
    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    public async Task A_failing_request_shows_its_exception_only_in_Development(string environment, bool shown)
    {
        var settings = ApiHost.CoHostedSettings();
        settings["environment"] = environment;
        await using var host = ApiHost.Start(settings, services => services.AddSingleton<IStartupFilter, FailingPathFilter>());
        using var http = host.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(FailingPathFilter.Path, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(shown, problem?["exception"]?.ToString().Contains(FailingPathFilter.Message, StringComparison.Ordinal) == true);
    }

    /// <summary>A path behind the service's whole pipeline whose handler throws, as an unforeseen bug would.</summary>
    private sealed class FailingPathFilter : IStartupFilter
    {
        public const string Path = "/test-only/fails";
        public const string Message = "a bug the test planted";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == Path
                ? throw new InvalidOperationException(Message)
                : Task.CompletedTask);
        };
    }
}
