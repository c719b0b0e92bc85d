using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cluster.Tests;

/// <summary>Redis stops answering (SIGSTOP) for 15 s under API load, then comes back.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class RedisPauseTests(ITestOutputHelper output)
{
    private const int Sessions = 8;

    [Fact]
    public async Task A_redis_pause_under_load_answers_503_not_500_and_loses_nothing_acknowledged()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, frontEnds: 1);
        var frontEnd = cluster.FrontEnds[0].Address;
        using var http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(60) };
        var sessions = new List<(string Id, string Token)>();
        for (var i = 0; i < Sessions; i++)
        {
            using var created = await http.PostAsync(new Uri("/sessions", UriKind.Relative), null);
            var body = await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            sessions.Add((body.GetProperty("id").GetString()!, body.GetProperty("resumeToken").GetString()!));
        }

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var acknowledged = new ConcurrentBag<(string Session, string Token, string Task)>();
        using var stop = new CancellationTokenSource();
        var load = sessions.Select(session => LoadAsync(http, session, statuses, acknowledged, stop.Token)).ToList();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.Redis.PauseAsync();
            await Task.Delay(TimeSpan.FromSeconds(15));
            await cluster.Redis.ResumeAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(90));

            var counts = statuses.GroupBy(status => status).ToDictionary(group => group.Key, group => group.Count());
            output.WriteLine($"answers: {string.Join(", ", counts.Select(pair => $"{(int)pair.Key}: {pair.Value}"))}; acknowledged tasks {acknowledged.Count}");
            Assert.DoesNotContain(statuses, status => (int)status >= 500 && status != HttpStatusCode.ServiceUnavailable);
            Assert.NotEmpty(acknowledged);
            foreach (var (session, token, task) in acknowledged)
            {
                Assert.Equal(HttpStatusCode.OK, await ReadTaskAsync(http, session, token, task));
            }
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
    }

    /// <summary>Starts short tasks on one session one after another, each with a fresh Idempotency-Key, until stopped.</summary>
    private static async Task LoadAsync(
        HttpClient http, (string Id, string Token) session, ConcurrentBag<HttpStatusCode> statuses,
        ConcurrentBag<(string, string, string)> acknowledged, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{session.Id}/tasks", UriKind.Relative))
            {
                Content = new StringContent("""{"kind":"sleep","seconds":0.05}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request, CancellationToken.None);
            statuses.Add(response.StatusCode);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                var task = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("id").GetString()!;
                acknowledged.Add((session.Id, session.Token, task));
            }
            else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await Task.Delay(500, CancellationToken.None);
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task<HttpStatusCode> ReadTaskAsync(HttpClient http, string session, string token, string task)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/sessions/{session}/tasks/{task}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
