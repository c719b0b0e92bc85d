namespace Grains;

/// <summary>
/// Serializes the writes of one reentrant activation. Two overlapping WriteStateAsync calls would
/// race on the storage ETag, so a write asked for while one runs waits for it; every caller that asks
/// meanwhile shares that one queued write, which stores the state as it is when it starts.
/// Only for use on the activation's own scheduler, which makes the fields safe without locks.
/// </summary>
internal sealed class StateWriteCoalescer(Func<Task> write)
{
    private Task? _current;
    private Task? _queued;

    public Task WriteAsync()
    {
        if (_queued is not null)
        {
            return _queued;
        }

        if (_current is { IsCompleted: false } running)
        {
            return _queued = WriteAfterAsync(running);
        }

        return _current = write();
    }

    private async Task WriteAfterAsync(Task previous)
    {
        // The previous write's failure belongs to its own callers; this write goes ahead regardless.
        await Task.WhenAny(previous);
        _queued = null;
        _current = write();
        await _current;
    }
}
