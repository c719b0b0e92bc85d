namespace Grains;

/// <summary>
/// Whether session state and reminders outlive this silo's process (Redis, or memory shared by a test cluster's
/// silos) or die with it (the single-process default, whose reminder table is gone once the silo stops).
/// </summary>
public sealed record SessionStateLifetime(bool OutlivesProcess)
{
    public static readonly SessionStateLifetime Durable = new(OutlivesProcess: true);

    public static readonly SessionStateLifetime ThisProcessOnly = new(OutlivesProcess: false);
}
