using System.Text.Json;

namespace Api.Protocol;

internal static class JsonFields
{
    /// <summary>The name of the object's first property that is in neither list, or null when all are allowed.</summary>
    public static string? FirstUnknown(JsonElement obj, string[] allowed, IReadOnlyCollection<string>? alsoAllowed = null)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0 && alsoAllowed?.Contains(property.Name) != true)
            {
                return property.Name;
            }
        }

        return null;
    }
}
