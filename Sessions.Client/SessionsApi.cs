using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sessions.Client;

/// <summary>The service's HTTP session and task API over a caller-owned <see cref="HttpClient"/> whose BaseAddress is a front end.</summary>
public sealed class SessionsApi(HttpClient http)
{
    /// <summary><c>POST /sessions</c>: a new session and its resume token, which the service shows only this once.</summary>
    public async Task<SessionCredentials> CreateSessionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/sessions", null, cancellationToken: cancellationToken);
        var body = await ReadAsync<JsonElement>(response, cancellationToken);
        return new SessionCredentials(body.GetProperty("id").GetString()!, body.GetProperty("resumeToken").GetString());
    }

    /// <summary><c>GET /sessions/{id}</c>: its times, open connections, counts and latest seq.</summary>
    public async Task<SessionInfo> GetSessionAsync(SessionCredentials session, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/sessions/{session.Id}", session.Token, cancellationToken: cancellationToken);
        return await ReadAsync<SessionInfo>(response, cancellationToken);
    }

    /// <summary>
    /// <c>POST /sessions/{id}/tasks</c>. <paramref name="wait"/> sends <c>Prefer: wait</c>: the answer then holds the outcome
    /// when the task finishes in time. A repeated <paramref name="idempotencyKey"/> answers the original task.
    /// </summary>
    public async Task<TaskStart> StartTaskAsync(
        SessionCredentials session, TaskStartRequest task, string? idempotencyKey = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(task, ClientJson.Options);
        var prefer = wait is { } w ? $"wait={Math.Ceiling(w.TotalSeconds).ToString(CultureInfo.InvariantCulture)}" : null;
        using var response = await SendAsync(HttpMethod.Post, $"/sessions/{session.Id}/tasks", session.Token, json, prefer, idempotencyKey, cancellationToken);
        var started = await ReadAsync<TaskInfo>(response, cancellationToken);
        return new TaskStart(started, response.Headers.Contains("Idempotent-Replayed"));
    }

    public async Task<TaskInfo> GetTaskAsync(SessionCredentials session, string taskId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/sessions/{session.Id}/tasks/{taskId}", session.Token, cancellationToken: cancellationToken);
        return await ReadAsync<TaskInfo>(response, cancellationToken);
    }

    /// <summary><c>DELETE /sessions/{id}/tasks/{taskId}</c>: the cancelled task; a finished one is a 409 <see cref="SessionProtocolException"/>.</summary>
    public async Task<TaskInfo> CancelTaskAsync(SessionCredentials session, string taskId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/sessions/{session.Id}/tasks/{taskId}", session.Token, cancellationToken: cancellationToken);
        return await ReadAsync<TaskInfo>(response, cancellationToken);
    }

    public async Task DeleteSessionAsync(SessionCredentials session, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/sessions/{session.Id}", session.Token, cancellationToken: cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
    }

    /// <summary>Any call of the API, answered as is: the token, JSON body, <c>Prefer</c> and <c>Idempotency-Key</c> attached when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, string? json = null, string? prefer = null, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
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

        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(ClientJson.Options, cancellationToken))!;
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ClientJson.Options, cancellationToken);
        string? Text(string name) => problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        throw new SessionProtocolException((int)response.StatusCode, Text("title") ?? response.StatusCode.ToString(), Text("detail") ?? "", Text("field"));
    }
}

/// <summary>A started task; <see cref="Replayed"/> when an Idempotency-Key repeat answered the original.</summary>
public sealed record TaskStart(TaskInfo Task, bool Replayed);
