using System.ComponentModel.DataAnnotations;

namespace Api.Http;

/// <summary>Limits on plain HTTP requests; bound from the <c>Http</c> section.</summary>
internal sealed class HttpLimits
{
    public const string SectionName = "Http";

    /// <summary>Largest request body accepted; a larger one is answered 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest request line (method, path and query); a longer one is answered 414 by Kestrel.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Largest total size of the request headers; larger ones are answered 431 by Kestrel.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Most request headers in one request; more are answered 431 by Kestrel.</summary>
    [Range(1, 10_000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>How long any request may take before the service answers 504 and cancels its handler.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same for requests that wait for a task on purpose (<c>GET /process</c>, <c>Prefer: wait</c>):
    /// longer than the 5-minute cap on <c>Prefer: wait</c> so an honoured wait always answers itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan WaitingRequestTimeout { get; set; } = TimeSpan.FromMinutes(5.5);

    /// <summary>How long a client may take to send its request headers; a slower one (slowloris) is disconnected.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive HTTP connection stays open between requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Pending TCP connections the listening socket queues (the kernel caps it at <c>net.core.somaxconn</c>).
    /// Kestrel's 512 drops part of a burst of thousands of connects, and each dropped one retries a second later.
    /// </summary>
    [Range(1, 65535)]
    public int ListenBacklog { get; set; } = 4096;
}
