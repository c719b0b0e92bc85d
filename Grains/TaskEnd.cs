using Grains.Abstractions;

namespace Grains;

/// <summary>How a task's work ended, as <see cref="TaskRunner.RunAsync"/> recorded it.</summary>
/// <param name="Task">The finished record.</param>
/// <param name="Failure">The exception of work that failed.</param>
/// <param name="MustWrite">
/// Whether the outcome must be written now. A sleep that ran its course is what its stored start already implies:
/// were the silo lost before the next write, the next activation would finish it the same way.
/// </param>
internal readonly record struct TaskEnd(TaskRecord Task, Exception? Failure, bool MustWrite);
