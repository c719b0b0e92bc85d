namespace Sessions.Client;

/// <summary>The <c>type</c> of a message from the server (docs/protocol.md).</summary>
public enum ServerMessageType
{
    Unknown,
    Welcome,
    Reset,
    Echo,
    Error,
    TaskAccepted,
    TaskCancelResult,
    TaskQueued,
    TaskStarted,
    TaskProgress,
    TaskCompleted,
    TaskFailed,
    TaskCancelled,
    TaskInterrupted,
}
