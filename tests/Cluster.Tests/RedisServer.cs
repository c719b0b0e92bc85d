using System.Globalization;

namespace Cluster.Tests;

/// <summary>
/// The Redis-compatible server a cluster runs on. <c>CLUSTER_TESTS_REDIS=redis-server</c> or <c>=garnet</c> picks
/// one; unset, it is <c>redis-server</c> when the PATH has it and Garnet otherwise, so the suite needs only the SDK.
/// </summary>
internal static class RedisServer
{
    public const string ChoiceVariable = "CLUSTER_TESTS_REDIS";

    public static RedisServerKind Kind { get; } = Choose(Environment.GetEnvironmentVariable(ChoiceVariable));

    /// <summary>Starts the chosen server on a loopback port, without persistence; the caller stops it by PID.</summary>
    public static ChildProcess Start(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        return Kind == RedisServerKind.RedisServer
            ? ChildProcess.Start(
                "redis-server",
                "redis-server",
                ["--port", portText, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                Path.GetTempPath(),
                new Dictionary<string, string>())
            : ChildProcess.Start(
                "garnet",
                "dotnet",

                // Orleans' Redis clustering, storage and reminders run Lua scripts, which Garnet enables on request.
                [Path.Combine(Built.GarnetHostDirectory, "GarnetHost.dll"), "--port", portText, "--bind", "127.0.0.1", "--lua"],
                Path.GetTempPath(),
                new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
    }

    private static RedisServerKind Choose(string? choice) => choice?.Trim().ToLowerInvariant() switch
    {
        null or "" => OnPath("redis-server") ? RedisServerKind.RedisServer : RedisServerKind.Garnet,
        "redis-server" or "redis" => RedisServerKind.RedisServer,
        "garnet" => RedisServerKind.Garnet,
        _ => throw new InvalidOperationException($"{ChoiceVariable}={choice}: use redis-server or garnet (or leave it unset)."),
    };

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
