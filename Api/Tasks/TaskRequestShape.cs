namespace Api.Tasks;

/// <summary>
/// The one description of a task body: <see cref="TaskRequestParser"/> reads bodies by it and
/// <see cref="TaskRequestSchema"/> writes the OpenAPI schema from it, so the two cannot drift apart.
/// </summary>
internal static class TaskRequestShape
{
    public const string Kind = "kind";
    public const string Sleep = "sleep";
    public const string Cpu = "cpu";
    public const string Seconds = "seconds";
    public const string Work = "work";
    public const string OnDisconnect = "onDisconnect";
    public const string Continue = "continue";
    public const string CancelAfterSeconds = "cancelAfterSeconds";

    // A millisecond: a smaller positive number would round to a zero-length wait.
    public const double MinSeconds = 0.001;
    public const string MinSecondsText = "0.001";
    public const long MinWork = 1;

    public static readonly string[] SleepFields = [Kind, Seconds, OnDisconnect];
    public static readonly string[] CpuFields = [Kind, Work, OnDisconnect];
}
