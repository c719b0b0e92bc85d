namespace GrainCost;

public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Answers at once; with <paramref name="leave"/>, the activation leaves memory afterwards.</summary>
    Task<int> Ping(bool leave);
}
