namespace Api.Tasks;

/// <summary>A task's <c>onDisconnect</c> policy when it is not <c>"continue"</c>.</summary>
internal sealed record CancelAfterDisconnectView(double CancelAfterSeconds);
