namespace ClusterHosting;

/// <summary>A start-up problem the operator can fix; its message is the one line printed before exiting.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
