namespace GrainCost;

internal sealed class ProbeGrain : Grain, IProbeGrain
{
    public Task<int> Ping(bool leave)
    {
        if (leave)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(1);
    }
}
