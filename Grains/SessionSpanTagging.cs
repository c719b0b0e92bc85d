using System.Diagnostics;

namespace Grains;

/// <summary>
/// Tags the grain side of a traced session call with the session it belongs to (only the id: the token never
/// reaches a span). Registered only when traces are recorded, after Orleans' tracing filter, so it runs on the
/// call's span; without tracing, calls go through no extra filter.
/// </summary>
internal sealed class SessionSpanTagging : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is SessionGrain && Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("session.id", context.TargetId.Key.ToString());
        }

        return context.Invoke();
    }
}
