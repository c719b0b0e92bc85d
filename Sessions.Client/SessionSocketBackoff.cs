namespace Sessions.Client;

internal static class SessionSocketBackoff
{
    /// <summary>
    /// Half the exponential ceiling plus up to half again at random, so clients dropped together by one front end
    /// do not come back in step.
    /// </summary>
    public static TimeSpan Delay(SessionSocketOptions options, int failures)
    {
        var ceiling = Math.Min(options.MaxReconnectDelay.TotalMilliseconds, options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, failures));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
