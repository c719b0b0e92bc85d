using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClusterHosting;

/// <summary>How a process joins the cluster; bound from the <c>Cluster</c> section.</summary>
public sealed class ClusterHostingOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Front end only: host a silo in-process, or connect to separate silos.</summary>
    public ClusterTopology Topology { get; set; } = ClusterTopology.CoHosted;

    /// <summary><see cref="ClusterProvider.Localhost"/> (the embedded default) or <see cref="ClusterProvider.Redis"/>.</summary>
    public ClusterProvider Provider { get; set; } = ClusterProvider.Localhost;

    /// <summary>Redis provider: the address other silos and clients reach this silo on.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Redis provider on Kubernetes: silos take their name, address and cluster identity from the pod
    /// (Microsoft.Orleans.Hosting.Kubernetes) and remove pods of silos declared dead.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>How failures are detected and how often gateways are refreshed; see docs in deploy/README.md.</summary>
    public MembershipTimings Membership { get; set; } = new();

    [Required]
    public string ClusterId { get; set; } = "dev";

    [Required]
    public string ServiceId { get; set; } = "sessions";

    /// <summary>The port silos talk to each other on.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (front ends) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Localhost clustering with several silos: the silo port of the first one, which the others join.
    /// Unset for the first (or only) silo.
    /// </summary>
    [Range(1, 65535)]
    public int? PrimarySiloPort { get; set; }

    /// <summary>
    /// Localhost provider: session state in this process (<see cref="MemoryStorageKind.InProcess"/>, the default, one
    /// silo) or in Orleans' memory storage grains (<see cref="MemoryStorageKind.Shared"/>, needed by several silos).
    /// </summary>
    public MemoryStorageKind MemoryStorage { get; set; } = MemoryStorageKind.InProcess;

    /// <summary>
    /// Grain addresses a silo caches to route calls to activations elsewhere (Orleans' default is 1,000,000). Every
    /// session ever called leaves an entry until the cache is full, about 300 bytes each, so under steady anonymous
    /// traffic the default alone grows a silo by some 300 MB; a miss costs one directory lookup.
    /// </summary>
    [Range(1, 10_000_000)]
    public int DirectoryCacheSize { get; set; } = 100_000;

    /// <summary>Client topology: the gateway ports on 127.0.0.1 the front end connects to; empty means <see cref="GatewayPort"/>.</summary>
    public int[] GatewayPorts { get; set; } = [];

    public int[] ClientGatewayPorts => GatewayPorts.Length > 0 ? GatewayPorts : [GatewayPort];

    /// <summary>Redis provider: the StackExchange.Redis connection string, from <c>Redis:ConnectionString</c>.</summary>
    public string? RedisConnectionString { get; private set; }

    public IPAddress Address => IPAddress.Parse(AdvertisedAddress);

    /// <summary>Reads and validates the section; start-up needs these before the container exists.</summary>
    public static ClusterHostingOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();
        options.RedisConnectionString = configuration["Redis:ConnectionString"];
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);
        Validator.TryValidateObject(options.Membership, new ValidationContext(options.Membership), errors, validateAllProperties: true);
        var messages = errors.Select(error => $"{SectionName}:{string.Join(",", error.MemberNames)}: {error.ErrorMessage}").ToList();
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            messages.Add($"{SectionName}:AdvertisedAddress: \"{options.AdvertisedAddress}\" is not an IP address.");
        }

        if (options.Provider == ClusterProvider.Redis)
        {
            messages.AddRange(RedisConnection.Validate(options.RedisConnectionString));
        }
        else if (options.PrimarySiloPort is not null && options.MemoryStorage == MemoryStorageKind.InProcess)
        {
            messages.Add($"{SectionName}:PrimarySiloPort joins a localhost cluster of several silos; set {SectionName}:MemoryStorage=Shared on every one of them so a session's state is reachable from each.");
        }
        else if (options.Kubernetes)
        {
            messages.Add($"{SectionName}:Kubernetes needs {SectionName}:Provider=Redis: localhost clustering cannot span pods.");
        }

        if (messages.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(ClusterHostingOptions), messages);
        }

        return options;
    }
}
