using System.Globalization;
using System.Net;
using System.Text;

namespace LoadGenerator;

/// <summary>A plain SVG line chart of resident memory against calls made, with a mark at the checkpoint.</summary>
internal static class SoakChart
{
    private const int Width = 760;
    private const int Height = 360;
    private const int Left = 60;
    private const int Bottom = 40;
    private const int Top = 30;

    public static string Render(List<(double Seconds, long Calls, double Mib)> samples, string target, long checkpoint)
    {
        var maxCalls = Math.Max(1, samples.Max(s => s.Calls));
        var maxMib = Math.Ceiling(samples.Max(s => s.Mib) / 100) * 100;
        double X(long calls) => Left + (Width - Left - 50) * (double)calls / maxCalls;
        double Y(double mib) => Height - Bottom - (Height - Bottom - Top) * mib / maxMib;

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="18">{WebUtility.HtmlEncode(target)}: resident memory (MiB) against anonymous GET /process calls</text>""");
        for (var step = 0; step <= 4; step++)
        {
            var mib = maxMib * step / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - 50}" y1="{Y(mib):F1}" y2="{Y(mib):F1}" stroke="#e5e7eb"/><text x="{Left - 8}" y="{Y(mib) + 4:F1}" text-anchor="end">{mib:F0}</text>""");
            var calls = maxCalls * step / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{X(calls):F1}" y="{Height - Bottom + 18}" text-anchor="middle">{calls:N0}</text>""");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{X(checkpoint):F1}" x2="{X(checkpoint):F1}" y1="{Top}" y2="{Height - Bottom}" stroke="#d97706" stroke-dasharray="4 3"/>""");
        var points = string.Join(' ', samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{X(s.Calls):F1},{Y(s.Mib):F1}")));
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="#2563eb" stroke-width="2" points="{points}"/>""");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
