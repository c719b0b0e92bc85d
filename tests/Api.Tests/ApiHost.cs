using System.Net.Http.Json;
using Grains.Abstractions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Api.Tests;

/// <summary>The real front end (Program) on Kestrel at a free loopback port, configured per test host.</summary>
public sealed class ApiHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly int _port;

    private ApiHost(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services, int port)
    {
        _settings = settings;
        _services = services;
        _port = port;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri SocketAddress => new UriBuilder(BaseAddress) { Scheme = "ws" }.Uri;

    /// <summary>
    /// Starts a host; the settings override appsettings.json, and <paramref name="services"/> may add to the container.
    /// A <paramref name="port"/> other than 0 lets a test restart a front end where its clients will look for it.
    /// </summary>
    public static ApiHost Start(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null, int port = 0)
    {
        var host = new ApiHost(settings, services, port);
        host.UseKestrel(port);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        host.BaseAddress = new Uri(address);
        return host;
    }

    /// <summary>Settings for a co-hosted silo on ports no other test uses.</summary>
    public static Dictionary<string, string?> CoHostedSettings() => new()
    {
        ["Cluster:Topology"] = "CoHosted",
        ["Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
        ["Cluster:SiloPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster:GatewayPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<SessionSnapshot?> ReadSessionAsync(string sessionId)
    {
        using var http = CreateHttpClient();
        using var response = await http.GetAsync(new Uri($"/sessions/{sessionId}", UriKind.Relative));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SessionSnapshot>() : null;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Urls", $"http://127.0.0.1:{_port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
