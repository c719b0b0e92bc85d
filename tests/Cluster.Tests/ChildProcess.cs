using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cluster.Tests;

/// <summary>
/// A process a test starts and always stops by its PID: SIGTERM for a graceful stop, SIGKILL for a
/// crash, and SIGKILL on dispose if it is still running. Its output is kept for the test's diagnostics.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errorOutput = new();
    private int _errorLines;
    private int _errorLinesToKeep;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join(Environment.NewLine, _output.TakeLast(60));

    /// <summary>Error and critical log entries written so far (the console logger starts them with <c>fail:</c> or <c>crit:</c>).</summary>
    public int ErrorLines => _errorLines;

    /// <summary>The first error entries with the lines that follow them (message, exception), for a failure message.</summary>
    public string ErrorOutput => string.Join(Environment.NewLine, _errorOutput);

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, line) => child.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => child.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the process listens on <paramref name="port"/>; fails with its output if it exits or takes too long.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (!await LoopbackPort.IsOpenAsync(port))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before listening on {port}:{Environment.NewLine}{Output}");
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{Name} did not listen on {port} within {within}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Sends SIGTERM, the signal an orchestrator stops a service with.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} ({Name}) failed with {kill.ExitCode}");
        }
    }

    /// <summary>SIGSTOP: the process hangs with its sockets open, as one stalled by the machine or a debugger.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    /// <summary>True if the process exited within the time.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillHard();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} ({Name}) failed with {kill.ExitCode}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
            _errorLinesToKeep = _errorOutput.Count < 200 ? 20 : 0;
        }

        if (_errorLinesToKeep > 0)
        {
            _errorLinesToKeep--;
            _errorOutput.Enqueue(line);
        }

        _output.Enqueue(line);
        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }
}
