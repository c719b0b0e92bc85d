using StackExchange.Redis;

namespace ClusterHosting;

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

        // CLIENT LIST on the server then shows which process holds which connections.
        options.ClientName ??= $"{AppDomain.CurrentDomain.FriendlyName}-{Environment.ProcessId}";
        return options;
    }

    /// <summary>
    /// Opens the process's shared connection; fails fast, with the address, when Redis cannot be reached at start-up.
    /// Once open it keeps reconnecting in the background (<see cref="Options"/>).
    /// </summary>
    public static async Task<SharedRedisConnection> ConnectAsync(string connectionString, TimeSpan timeout)
    {
        var options = Options(connectionString);
        options.ConnectTimeout = (int)timeout.TotalMilliseconds;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        try
        {
            await connection.GetDatabase().PingAsync().WaitAsync(timeout);
            return new SharedRedisConnection(connection);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new StartupException(
                $"Redis at {string.Join(", ", options.EndPoints)} (Redis:ConnectionString) is unreachable: {FirstLine(exception.Message)}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
