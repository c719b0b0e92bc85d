using System.Globalization;
using System.Text.RegularExpressions;
using Grains.Abstractions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Api.Tests.Browser;

/// <summary>The console at <c>/</c> in a real Chromium, against a real front end and a separate silo cluster.</summary>
[Collection(ClientTopologyCollection.Name)]
public sealed partial class ConsoleBrowserTests(ClientTopologyFixture fixture)
{
    [BrowserFact]
    public async Task Console_resumes_a_task_with_its_missed_events_after_the_front_end_restarts()
    {
        SetDefaultExpectTimeout((float)Deadline.Default.TotalMilliseconds);
        var port = LoopbackPort.Free();
        var frontEnd = ApiHost.Start(fixture.FrontEndSettings, port: port);
        try
        {
            await using var chromium = await ChromiumPage.OpenAsync(frontEnd.BaseAddress);
            var page = chromium.Page;
            await page.GetByRole(AriaRole.Button, new() { Name = "Create a session" }).ClickAsync();
            await Expect(page.Locator("#connection-state")).ToHaveTextAsync("connected");
            var sessionId = await page.GetByLabel("Session id").InputValueAsync();

            await page.GetByLabel("Seconds").FillAsync("3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Start task" }).ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('li[data-task-id=\"1\"] progress')?.value > 0");
            var seenBeforeRestart = long.Parse(await page.Locator("#last-seq").InnerTextAsync(), CultureInfo.InvariantCulture);

            await frontEnd.DisposeAsync();
            await Expect(page.Locator("#connection-state")).ToHaveTextAsync(ReconnectingText());
            var session = fixture.Cluster.Client.GetGrain<ISessionGrain>(sessionId);
            var whileDown = await Deadline.PollAsync(session.GetSnapshot, snapshot => snapshot?.LastSeq > seenBeforeRestart);
            Assert.True(whileDown?.LastSeq > seenBeforeRestart, "The task made no progress while the front end was down.");
            frontEnd = ApiHost.Start(fixture.FrontEndSettings, port: port);

            await Expect(page.Locator("#notice")).ToHaveTextAsync(ResumedText(seenBeforeRestart));
            await page.WaitForFunctionAsync("() => document.querySelector('li[data-task-id=\"1\"] progress')?.value === 100");
            await Expect(page.Locator("li[data-task-id=\"1\"] .status")).ToHaveTextAsync("succeeded · 100 %");
            var shownSeqs = await page.Locator("#events li[data-seq]").EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.seq))");
            Assert.Equal(Enumerable.Range(1, shownSeqs.Length).Select(seq => (long)seq), shownSeqs);
            Assert.Equal((await session.GetSnapshot())!.LastSeq, shownSeqs[^1]);
            await SaveScreenshotWhenAskedAsync(page);
        }
        finally
        {
            await frontEnd.DisposeAsync();
        }
    }

    [BrowserFact]
    public async Task Console_echoes_and_resumes_after_its_socket_is_dropped()
    {
        SetDefaultExpectTimeout((float)Deadline.Default.TotalMilliseconds);
        await using var chromium = await ChromiumPage.OpenAsync(fixture.Host.BaseAddress);
        var page = chromium.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a session" }).ClickAsync();
        await Expect(page.Locator("#connection-state")).ToHaveTextAsync("connected");

        await page.GetByLabel("Message").FillAsync("héllo 👋");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator("#echo-answer")).ToHaveTextAsync("Echo: héllo 👋");

        await page.GetByRole(AriaRole.Button, new() { Name = "Drop connection" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync(ResumedText(0));
        await Expect(page.Locator("#connection-state")).ToHaveTextAsync("connected");
    }

    /// <summary>
    /// A picture of the console for the README: <c>CONSOLE_SCREENSHOT=$PWD/docs/console.png dotnet test --filter ConsoleBrowserTests</c>.
    /// </summary>
    private static async Task SaveScreenshotWhenAskedAsync(IPage page)
    {
        if (Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOT") is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
    }

    private static Regex ResumedText(long after) =>
        new($"^Reconnected: resumed after seq {after}, {(after == 0 ? "0" : "[1-9][0-9]*")} missed event\\(s\\) replayed\\.$");

    [GeneratedRegex("^reconnecting")]
    private static partial Regex ReconnectingText();
}
