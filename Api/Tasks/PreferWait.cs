using System.Globalization;

namespace Api.Tasks;

/// <summary>RFC 7240 <c>Prefer: wait=N</c>: how long the caller is willing to wait for the outcome.</summary>
internal static class PreferWait
{
    /// <summary>The longest wait honoured; a longer preference is cut to this.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    public static TimeSpan? Read(HttpRequest request)
    {
        foreach (var preference in request.Headers["Prefer"].SelectMany(value => (value ?? "").Split(',')))
        {
            var parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts is ["wait", var seconds] && int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                var wait = TimeSpan.FromSeconds(value);
                return wait < Max ? wait : Max;
            }
        }

        return null;
    }
}
