using System.Net.Http.Json;
using Sessions.Client;

namespace Api.Tests;

/// <summary>HTTP calls of the session and task API, with the resume token attached when given: Sessions.Client's, answered raw.</summary>
public sealed class SessionApiClient(ApiHost host) : IDisposable
{
    private readonly HttpClient _http = host.CreateHttpClient();

    private SessionsApi Api => new(_http);

    public async Task<(string Id, string Token, HttpResponseMessage Response)> CreateSessionAsync()
    {
        var response = await Api.SendAsync(HttpMethod.Post, "/sessions", token: null);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return (body!["id"].ToString()!, body["resumeToken"].ToString()!, response);
    }

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, string? json = null, string? prefer = null, string? idempotencyKey = null) =>
        Api.SendAsync(method, path, token, json, prefer, idempotencyKey);

    public void Dispose() => _http.Dispose();
}
