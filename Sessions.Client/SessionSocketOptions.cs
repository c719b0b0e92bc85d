namespace Sessions.Client;

/// <summary>How <see cref="SessionSocket"/> reconnects and how long it waits.</summary>
public sealed record SessionSocketOptions
{
    /// <summary>The first reconnect delay, doubled per failed attempt up to <see cref="MaxReconnectDelay"/> (jittered).</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds one connection attempt, and <see cref="SessionSocket.ConnectAsync"/> as a whole.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The clock the reconnect delays are measured on: <see cref="TimeProvider.System"/> unless a test moves its own.
    /// Timeouts still run on the system clock.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a request waits to be sent, and then for its answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
