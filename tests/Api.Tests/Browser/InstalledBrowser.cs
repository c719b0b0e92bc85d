namespace Api.Tests.Browser;

/// <summary>
/// The Chromium the browser tests drive: Playwright's own browser download cannot run here, so the tests launch the
/// system's (Debian's <c>chromium</c> package; <c>.ci/run</c> installs it). <c>CHROMIUM_PATH</c> names another.
/// </summary>
internal static class InstalledBrowser
{
    public const string InstallHint = "No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome): "
        + "install one with `apt-get install -y chromium` to run the browser tests.";

    public static string? Path { get; } = Find();

    private static string? Find()
    {
        string?[] candidates =
        [
            Environment.GetEnvironmentVariable("CHROMIUM_PATH"),
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ];
        return candidates.FirstOrDefault(candidate => !string.IsNullOrEmpty(candidate) && File.Exists(candidate));
    }
}
