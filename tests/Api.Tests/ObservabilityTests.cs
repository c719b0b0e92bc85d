using System.Diagnostics;
using System.Net;
using OpenTelemetry.Trace;

namespace Api.Tests;

// Metric values are checked in Cluster.Tests, on processes that host one service each: test hosts
// sharing this process would feed each other's instruments, which carry the same names.
[Collection(CoHostedCollection.Name)]
public sealed class ObservabilityTests(CoHostedApiFixture fixture)
{
    [Fact]
    public async Task Liveness_and_readiness_are_healthy_when_the_cluster_is()
    {
        using var http = fixture.Host.CreateHttpClient();

        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_is_traced_from_the_front_end_into_the_session_grain_with_the_session_id_and_never_the_token()
    {
        var exported = new LockedCollection<Activity>();
        var settings = ApiHost.CoHostedSettings();
        settings["Telemetry:Tracing"] = "true";
        await using var host = ApiHost.Start(
            settings,
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":0.1}""");
        var request = await Deadline.PollAsync(
            () => Task.FromResult(exported.Snapshot().FirstOrDefault(a => a.Kind == ActivityKind.Server && a.DisplayName.Contains("/tasks", StringComparison.Ordinal))),
            found => found is not null);
        var grainSpans = await Deadline.PollAsync(
            () => Task.FromResult(exported.Snapshot().Where(a => a.TraceId == request!.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList()),
            spans => spans.Exists(span => span.DisplayName.Contains("StartTask", StringComparison.Ordinal) && span.GetTagItem("session.id") is not null));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var grainCall = grainSpans.First(span => span.DisplayName.Contains("StartTask", StringComparison.Ordinal) && span.GetTagItem("session.id") is not null);
        Assert.Equal(id, grainCall.GetTagItem("session.id"));
        Assert.DoesNotContain(exported.Snapshot(), activity => activity.Tags.Any(tag => tag.Value?.Contains(token, StringComparison.Ordinal) == true));
    }
}
