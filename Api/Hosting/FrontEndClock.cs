namespace Api.Hosting;

/// <summary>
/// The clock the front end's own rules read (waits, deadlines, outages, the auth timeout). Keyed, so that a test can
/// fake it without also stopping the clocks Orleans and a co-hosted silo run on (which resolve the unkeyed one).
/// </summary>
internal static class FrontEndClock
{
    public const string Key = "front-end";
}
