namespace Grains;

/// <summary>The grain storage provider that holds session state; hosts register it under this name.</summary>
public static class SessionStorage
{
    public const string Name = "sessions";
}
