using StackExchange.Redis;

namespace Silo;

/// <summary>Checks of <c>Redis:ConnectionString</c>, so a bad value fails start-up with one readable line.</summary>
public static class RedisConnection
{
    public static IEnumerable<string> Validate(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            yield return "Redis:ConnectionString is required when Cluster:Provider is Redis (for example 127.0.0.1:6379).";
            yield break;
        }

        string? problem = null;
        try
        {
            _ = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException exception)
        {
            problem = exception.Message;
        }

        if (problem is not null)
        {
            yield return $"Redis:ConnectionString is not valid: {problem}";
        }
    }

    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // Keep retrying in the background after start-up: a Redis restart must not take the cluster down.
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>Fails fast, with the address, when Redis cannot be reached at start-up.</summary>
    public static async Task EnsureReachableAsync(string connectionString, TimeSpan timeout)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = (int)timeout.TotalMilliseconds;
        options.ConnectRetry = 1;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new StartupException(
                $"Redis at {string.Join(", ", options.EndPoints)} (Redis:ConnectionString) is unreachable: {FirstLine(exception.Message)}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
