namespace LoadGenerator;

/// <summary>The part of <c>POST /sessions</c>'s answer the scenarios use.</summary>
internal sealed record CreatedSession(string Id, string ResumeToken);
