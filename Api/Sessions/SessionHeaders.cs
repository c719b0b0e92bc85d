namespace Api.Sessions;

internal static class SessionHeaders
{
    /// <summary>Names the session a call belongs to, in requests and responses alike.</summary>
    public const string SessionId = "X-Session-Id";
}
