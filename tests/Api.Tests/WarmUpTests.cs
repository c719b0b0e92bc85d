using System.Net;
using Api.WarmUp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Api.Tests;

public sealed class WarmUpTests
{
    [Fact]
    public async Task The_front_end_reports_ready_only_after_its_warm_up_has_run_its_rounds_without_a_warning()
    {
        var logs = new CapturedLogs();
        var settings = ApiHost.CoHostedSettings();
        settings["WarmUp:Enabled"] = "true";
        await using var host = ApiHost.Start(settings, services => services.AddSingleton<ILoggerProvider>(logs));
        var warmUp = host.Services.GetRequiredService<StartupWarmUp>();
        using var http = host.CreateHttpClient();

        HttpStatusCode status;
        do
        {
            var finishedBefore = warmUp.Finished.IsCompleted;
            status = await ReadinessAsync(http);
            Assert.True(
                status != HttpStatusCode.OK || finishedBefore || warmUp.Finished.IsCompleted,
                "/health/ready answered 200 while the warm-up was still running.");
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(50);
            }
        }
        while (status != HttpStatusCode.OK && !warmUp.Finished.IsCompleted);

        await warmUp.Finished.WaitAsync(TimeSpan.FromSeconds(60));
        var ready = await Deadline.PollAsync(() => ReadinessAsync(http), code => code == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.True(warmUp.Rounds >= 3, $"The warm-up ran {warmUp.Rounds} round(s).");
        Assert.DoesNotContain(logs.Entries, entry => entry.Category.Contains("WarmUp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_hosts_run_without_the_warm_up_as_tests_runsettings_switches_it_off()
    {
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings());
        var warmUp = host.Services.GetRequiredService<StartupWarmUp>();

        await warmUp.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, warmUp.Rounds);
    }

    private static async Task<HttpStatusCode> ReadinessAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return response.StatusCode;
    }
}
