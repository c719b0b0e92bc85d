using System.Globalization;

namespace Testing;

/// <summary>A Prometheus text exposition, read the way a scraper would: sample lines by name and labels.</summary>
internal sealed class PrometheusScrape(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusScrape> ReadAsync(HttpClient http, Uri metrics) =>
        new(await http.GetStringAsync(metrics));

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>; null if none.</summary>
    public double? Sum(string name, params string[] labels)
    {
        double? sum = null;
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            var labelEnd = line.LastIndexOf('}');
            var labelText = labelEnd > 0 ? line[..labelEnd] : "";
            if (labels.All(label => labelText.Contains(label, StringComparison.Ordinal)))
            {
                var value = line[(labelEnd > 0 ? labelEnd + 1 : name.Length)..].Trim().Split(' ')[0];
                sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
