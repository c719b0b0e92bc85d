namespace Api.Tasks;

/// <summary>One page of a session's tasks, newest first.</summary>
internal sealed record TaskListView(IReadOnlyList<TaskView> Tasks, int Total, int Offset, int Limit);
