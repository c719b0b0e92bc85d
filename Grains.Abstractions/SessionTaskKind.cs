namespace Grains.Abstractions;

[GenerateSerializer, Alias("SessionTaskKind")]
public enum SessionTaskKind
{
    Sleep = 0,
}
