namespace Api.Sessions;

/// <summary>The body of <c>201 Created</c> for a new session: the resume token is shown this once.</summary>
internal sealed record NewSessionView(string Id, string ResumeToken, DateTimeOffset CreatedAt);
