using Api.Protocol;
using Api.Hosting;
using Api.Http;
using Api.Observability;
using Api.Operators;
using Api.Process;
using Api.Sessions;
using Api.Tasks;
using Api.WebSockets;
using Api.WebConsole;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using ClusterHosting;
using ServiceDefaults.Http;
using ServiceDefaults.Observability;

return await StartupChecks.ExitCodeOfAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    await builder.AddSessionClusterAsync();
    builder.AddFrontEnd();

    var app = builder.Build();
    app.UseTrustedForwardedHeaders();
    app.UseRejectionCounting();
    app.UseKnownHostFiltering();
    app.UseRateLimiter();
    app.UseOperatorAccess();
    app.UseSessionConsole();
    app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        // A body over Kestrel:Limits:MaxRequestBodySize surfaces while it is read: answer 413, not 500.
        // Storage or cluster down is 503 with Retry-After (DependencyOutage), never a bare 500.
        StatusCodeSelector = exception => exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            _ when DependencyOutage.Of(exception) is not null => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        },

        // A malformed, oversized or stalled request is the client's error, not one for the error log; an outage is
        // logged once, as a warning, where its problem details are written.
        SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || DependencyOutage.Of(context.Exception) is not null,
    });
    app.UseStatusCodePages();
    app.UseRequestBodyLimit();
    app.UseRequestTimeouts();
    app.UseWebSockets();

    app.MapProcessEndpoints();
    app.MapEchoSocket();
    app.MapSessionEndpoints();
    app.MapTaskEndpoints();
    app.MapSessionSocket();
    app.MapOpenApi();
    app.MapScalarApiReference();
    app.MapOrleansDashboard(routePrefix: "dashboard");
    app.MapOperatorEndpoints();

    StartupBanner.PrintWhenStarted(app);
    await app.RunAsync();
});

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
