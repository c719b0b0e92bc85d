namespace Api.Tasks;

/// <summary>Which field of a task request is wrong, and why.</summary>
internal readonly record struct TaskRequestError(string Field, string Message);
