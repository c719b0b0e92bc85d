using System.Net;

namespace Api.Operators;

/// <summary>Who may open the dashboard and <c>/metrics</c>; bound from the <c>Dashboard</c> section.</summary>
internal sealed class OperatorAccessOptions
{
    public const string SectionName = "Dashboard";

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>Networks (CIDR) whose clients get in without credentials; empty means the machine itself.</summary>
    // Empty rather than the loopback list: the configuration binder appends to an array's defaults.
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>With a password set, clients from elsewhere get in with HTTP Basic credentials.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public IReadOnlyList<IPNetwork> Networks => [.. (AllowedNetworks.Length > 0 ? AllowedNetworks : Loopback).Select(IPNetwork.Parse)];
}
