using System.Globalization;

namespace Api.Tasks;

/// <summary>Which page of a session's tasks a caller asked for with <c>?offset=&amp;limit=</c>.</summary>
internal readonly record struct TaskPage(int Offset, int Limit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>
    /// Reads the query values: a missing one takes its default, a limit over <see cref="MaxLimit"/> is cut to it
    /// (the answer's <c>limit</c> shows the cut), and anything else that is not a whole number in range is an error
    /// naming the parameter.
    /// </summary>
    public static bool TryRead(string? offset, string? limit, out TaskPage page, out TaskRequestError error)
    {
        page = default;
        if (!TryReadWholeNumber(offset, fallback: 0, minimum: 0, out var from))
        {
            error = new("offset", "Required: a whole number of tasks to skip, 0 or more.");
            return false;
        }

        if (!TryReadWholeNumber(limit, fallback: DefaultLimit, minimum: 1, out var size))
        {
            error = new("limit", $"Required: a whole number of tasks per page from 1 to {MaxLimit}.");
            return false;
        }

        page = new TaskPage(from, Math.Min(size, MaxLimit));
        error = default;
        return true;
    }

    private static bool TryReadWholeNumber(string? text, int fallback, int minimum, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        // Digits only: no sign, spaces or exponent. Too many digits for an int is a number past every limit, not a malformed one.
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            value = 0;
            return false;
        }

        value = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : int.MaxValue;
        return value >= minimum;
    }
}
