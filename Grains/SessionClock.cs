namespace Grains;

/// <summary>
/// The clock session grains and session stores read, registered under its own key: a test can replace it with a
/// fake without also stopping the clocks Orleans itself runs on (which resolve the unkeyed TimeProvider).
/// </summary>
public static class SessionClock
{
    public const string Key = "sessions";
}
