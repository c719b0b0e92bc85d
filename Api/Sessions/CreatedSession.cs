namespace Api.Sessions;

/// <summary>The body of <c>201 Created</c>: the resume token is shown this once.</summary>
internal sealed record CreatedSession(string Id, string ResumeToken, DateTimeOffset CreatedAt);
