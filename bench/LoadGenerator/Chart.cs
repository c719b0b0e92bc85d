using System.Globalization;
using System.Net;
using System.Text;

namespace LoadGenerator;

/// <summary>A plain SVG bar chart: one group per figure, one bar per target, scaled to the group's largest value.</summary>
internal static class Chart
{
    private const int Width = 760;
    private const int LabelWidth = 130;
    private const int BarHeight = 16;
    private const int GroupGap = 28;
    private static readonly string[] Colours = ["#6b7280", "#059669", "#d97706", "#2563eb", "#7c3aed", "#db2777"];

    public static string Render(List<Report.Row> rows, List<Measurement> measurements, List<string> targets)
    {
        var svg = new StringBuilder();
        var height = 40 + rows.Count * (targets.Count * BarHeight + GroupGap);
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        for (var t = 0; t < targets.Count; t++)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{10 + t * 140}" y="8" width="12" height="12" fill="{Colours[t % Colours.Length]}"/><text x="{26 + t * 140}" y="18">{WebUtility.HtmlEncode(targets[t])}</text>""");
        }

        var y = 40;
        foreach (var row in rows)
        {
            var values = targets.Select(t => row.Value(measurements, t)).ToList();
            var largest = values.Max() ?? 0;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="10" y="{y + 10}" font-weight="bold">{row.Scenario} {row.Size}: {row.Figure}</text>""");
            y += 14;
            for (var t = 0; t < targets.Count; t++)
            {
                var barWidth = largest > 0 && values[t] is { } v ? (Width - LabelWidth - 90) * v / largest : 0;
                var label = values[t] is { } value ? value.ToString("#,0.#", CultureInfo.InvariantCulture) : "n/a";
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="10" y="{y + 12}">{WebUtility.HtmlEncode(targets[t])}</text><rect x="{LabelWidth}" y="{y + 2}" width="{barWidth:0.#}" height="{BarHeight - 4}" fill="{Colours[t % Colours.Length]}"/><text x="{LabelWidth + barWidth + 4:0.#}" y="{y + 12}">{label}</text>""");
                y += BarHeight;
            }

            y += GroupGap - 14;
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
