namespace Testing;

/// <summary>Bounded waits for both test projects: no test waits on a fixed sleep or forever.</summary>
internal static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static CancellationToken Token(TimeSpan? within = null) => new CancellationTokenSource(within ?? Default).Token;

    /// <summary>Reads until <paramref name="done"/> holds or the deadline passes, and returns the last value read.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? Default);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
