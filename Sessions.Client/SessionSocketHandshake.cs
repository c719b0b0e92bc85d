using System.Globalization;
using System.Net.WebSockets;

namespace Sessions.Client;

/// <summary>
/// The session socket's address and authentication, for callers that run their own socket loop (a load generator)
/// rather than <see cref="SessionSocket"/>.
/// </summary>
public static class SessionSocketHandshake
{
    /// <summary><c>ws(s)://host/sessions/{id}/ws[?lastSeq=N]</c> on the front end at <paramref name="baseAddress"/>.</summary>
    public static Uri Address(Uri baseAddress, string sessionId, long? lastSeq = null)
    {
        var query = lastSeq is { } seq ? $"?lastSeq={seq.ToString(CultureInfo.InvariantCulture)}" : "";
        var address = new UriBuilder(new Uri(baseAddress, $"/sessions/{Uri.EscapeDataString(sessionId)}/ws{query}"));
        address.Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return address.Uri;
    }

    /// <summary>Sends the resume token on the upgrade (<c>Authorization: Bearer</c>); a session without one needs nothing.</summary>
    public static void Authorize(ClientWebSocketOptions options, SessionCredentials session)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        if (session.Token is not null)
        {
            options.SetRequestHeader("Authorization", $"Bearer {session.Token}");
        }
    }
}
