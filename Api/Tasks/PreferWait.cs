using System.Globalization;

namespace Api.Tasks;

/// <summary>RFC 7240 <c>Prefer: wait=N</c>: how long the caller is willing to wait for the outcome.</summary>
internal static class PreferWait
{
    /// <summary>The longest wait honoured; a longer preference is cut to this.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The first <c>wait</c> preference (name in any case, value bare or quoted, parameters after <c>;</c> ignored);
    /// null when there is none or its value is not a whole number of seconds, which RFC 7240 says to ignore.
    /// </summary>
    public static TimeSpan? Read(HttpRequest request)
    {
        foreach (var preference in request.Headers["Prefer"].SelectMany(value => (value ?? "").Split(',')))
        {
            var parts = preference.Split(';', 2)[0].Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts is [var name, var value] && name.Equals("wait", StringComparison.OrdinalIgnoreCase)
                && value.Trim('"') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit))
            {
                // Digits too many for a number are a wait longer than the cap, not a malformed one.
                var seconds = digits.Length <= 9 ? int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) : int.MaxValue;
                var wait = TimeSpan.FromSeconds(seconds);
                return wait < Max ? wait : Max;
            }
        }

        return null;
    }
}
