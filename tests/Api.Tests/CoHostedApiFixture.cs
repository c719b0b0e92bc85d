namespace Api.Tests;

/// <summary>The front end with its silo in the same process, the embedded default.</summary>
public sealed class CoHostedApiFixture : IAsyncLifetime
{
    // Long enough to tell a waited answer from an immediate one, short because the collection's tests run in turn.
    public const double ProcessSeconds = 1;

    public ApiHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Process:Seconds"] = ProcessSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Tasks:ProgressInterval"] = "00:00:00.200";
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
