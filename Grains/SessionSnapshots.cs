using Grains.Abstractions;

namespace Grains;

internal static class SessionSnapshots
{
    public static SessionSnapshot Of(string id, SessionState session, int openConnections)
    {
        var finished = session.Tasks.Count(task => task.IsFinished);
        return new()
        {
            Id = id,
            CreatedAt = session.CreatedAt,
            LastActiveAt = session.LastActiveAt,
            OpenConnections = openConnections,
            EchoedMessages = session.EchoedMessages,
            ActiveTasks = session.Tasks.Count - finished,
            FinishedTasks = finished,
            RequiresToken = session.ResumeTokenHash is not null,
            LastSeq = session.LastSeq,
        };
    }
}
