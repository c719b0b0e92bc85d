using System.Diagnostics;

namespace Grains;

/// <summary>
/// Tags the grain side of a traced call with the session it belongs to, so a request can be followed from
/// the front end into the session and back. Only the id: the resume token never reaches a span.
/// </summary>
internal sealed class SessionTracingFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity && context.TargetId.Type.ToString() == "session")
        {
            activity.SetTag("session.id", context.TargetId.Key.ToString());
        }

        return context.Invoke();
    }
}
