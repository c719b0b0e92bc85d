using System.Text.Json;

namespace Api.Protocol;

/// <summary>
/// A parsed JSON document can still hold strings that have no .NET form: an escaped unpaired surrogate
/// (<c>"\ud800"</c>) or, in an HTTP body, bytes that are not UTF-8. Reading one throws, so input is checked first.
/// </summary>
internal static class DecodableJson
{
    public const string Problem = "The JSON holds a string that is not valid Unicode (an unpaired surrogate escape or invalid UTF-8).";

    public static bool AllStringsDecode(JsonElement element)
    {
        try
        {
            Decode(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Only an escape can produce an unpaired surrogate in text the WebSocket layer already checked as UTF-8.</summary>
    public static bool MayHoldBadEscape(ReadOnlySpan<byte> utf8Json) => utf8Json.IndexOf("\\u"u8) >= 0;

    private static void Decode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    GC.KeepAlive(property.Name);
                    Decode(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Decode(item);
                }

                break;
            case JsonValueKind.String:
                GC.KeepAlive(element.GetString());
                break;
        }
    }
}
