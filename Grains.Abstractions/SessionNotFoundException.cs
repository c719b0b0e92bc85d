namespace Grains.Abstractions;

/// <summary>A call reached a session that does not exist (never created, or ended).</summary>
[GenerateSerializer, Alias("SessionNotFoundException")]
public sealed class SessionNotFoundException : Exception
{
    public SessionNotFoundException()
    {
    }

    public SessionNotFoundException(string message)
        : base(message)
    {
    }

    public SessionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
