using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Api.Tests;

/// <summary>HTTP calls of the session and task API, with the resume token attached when given.</summary>
public sealed class SessionApiClient(ApiHost host) : IDisposable
{
    private readonly HttpClient _http = host.CreateHttpClient();

    public async Task<(string Id, string Token, HttpResponseMessage Response)> CreateSessionAsync()
    {
        var response = await _http.PostAsync(new Uri("/sessions", UriKind.Relative), null);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return (body!["id"].ToString()!, body["resumeToken"].ToString()!, response);
    }

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, string? json = null, string? prefer = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
