using Microsoft.Playwright;

namespace Api.Tests.Browser;

/// <summary>A page in a headless system Chromium, closed with its browser and Playwright's driver process.</summary>
internal sealed class ChromiumPage : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ChromiumPage(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<ChromiumPage> OpenAsync(Uri address)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = InstalledBrowser.Path,
                Headless = true,
                Timeout = (float)Deadline.Default.TotalMilliseconds,
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 820 } });
            page.SetDefaultTimeout((float)Deadline.Default.TotalMilliseconds);
            await page.GotoAsync(address.ToString());
            return new ChromiumPage(playwright, browser, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
