using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Silo;

/// <summary>How a process joins the cluster; bound from the <c>Cluster</c> section.</summary>
public sealed class ClusterHostingOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Front end only: host a silo in-process, or connect to separate silos.</summary>
    public ClusterTopology Topology { get; set; } = ClusterTopology.CoHosted;

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

    /// <summary>Client topology: the gateway ports on 127.0.0.1 the front end connects to; empty means <see cref="GatewayPort"/>.</summary>
    public int[] GatewayPorts { get; set; } = [];

    public int[] ClientGatewayPorts => GatewayPorts.Length > 0 ? GatewayPorts : [GatewayPort];

    /// <summary>Reads and validates the section; start-up needs these before the container exists.</summary>
    public static ClusterHostingOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                SectionName,
                typeof(ClusterHostingOptions),
                errors.Select(error => $"{SectionName}:{string.Join(",", error.MemberNames)}: {error.ErrorMessage}"));
        }

        return options;
    }
}
