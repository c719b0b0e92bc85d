namespace Api.Tests.Browser;

/// <summary>A fact that needs a real Chromium: skipped, saying how to install one, where none is installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (InstalledBrowser.Path is null)
        {
            Skip = InstalledBrowser.InstallHint;
        }
    }
}
