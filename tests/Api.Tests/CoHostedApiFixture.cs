namespace Api.Tests;

/// <summary>The front end with its silo in the same process, the embedded default.</summary>
public sealed class CoHostedApiFixture : IAsyncLifetime
{
    public const double ProcessSeconds = 2;

    public ApiHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Process:Seconds"] = ProcessSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Tasks:ProgressInterval"] = "00:00:00.200";
        settings["WebSockets:AuthTimeout"] = "00:00:02";
        Host = ApiHost.Start(settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class CoHostedCollection : ICollectionFixture<CoHostedApiFixture>
{
    public const string Name = nameof(CoHostedCollection);
}
