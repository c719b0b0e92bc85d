namespace Api.Process;

/// <summary>The seed's body: <c>{"status":"Done!"}</c>.</summary>
internal sealed record ProcessResponse(string Status)
{
    public static ProcessResponse Done { get; } = new("Done!");
}
