namespace Sessions.Client;

/// <summary>Cancel the task once the session has had no open socket for this many seconds.</summary>
public sealed record DisconnectPolicy(int CancelAfterSeconds);
