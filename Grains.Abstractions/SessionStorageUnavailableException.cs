namespace Grains.Abstractions;

/// <summary>A session could not read or write its stored state: the storage (Redis) did not answer or failed.</summary>
[GenerateSerializer, Alias("SessionStorageUnavailableException")]
public sealed class SessionStorageUnavailableException : Exception
{
    public SessionStorageUnavailableException()
    {
    }

    public SessionStorageUnavailableException(string message)
        : base(message)
    {
    }

    public SessionStorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
