using LoadGenerator;

// Usage: LoadGenerator <process|ws-echo|session-echo|ws-hold|sessions|tasks|soak> [--url U] [--concurrency C] [--out file.json] ...
//        LoadGenerator report <results-folder>
if (args is ["report", var folder])
{
    return Report.Run(folder);
}

Func<BenchOptions, Task<Measurement>>? scenario = args.FirstOrDefault() switch
{
    "process" => ProcessScenario.RunAsync,
    "ws-echo" => WsEchoScenario.RunAsync,
    "session-echo" => SessionEchoScenario.RunAsync,
    "ws-hold" => WsHoldScenario.RunAsync,
    "sessions" => SessionsScenario.RunAsync,
    "tasks" => TasksScenario.RunAsync,
    "soak" => SoakScenario.RunAsync,
    _ => null,
};
if (scenario is null)
{
    Console.Error.WriteLine("usage: LoadGenerator <process|ws-echo|session-echo|ws-hold|sessions|tasks|soak> [--url U] [--target NAME] [--concurrency C] [--messages M] [--size S]");
    Console.Error.WriteLine("                     [--tasks T] [--task-seconds W] [--calls N] [--sample-seconds S] [--timeout SECONDS] [--settle SECONDS] [--server-pid PID] [--warmup] [--warmup-seconds S] [--min-seconds S] [--max-seconds S] [--out FILE]");
    Console.Error.WriteLine("       LoadGenerator report <results-folder>");
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args.Skip(1));
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (options.Warmup)
{
    // The first load after a start pays for JIT and connection set-up, and .NET keeps optimizing hot code for
    // several seconds of load; untimed rounds for at least WarmupTime keep that out of the figures. Memory
    // scenarios get one small round, so the measured round does not reuse memory the warm-up freed.
    var memory = args[0] is "ws-hold" or "sessions";
    var warming = System.Diagnostics.Stopwatch.StartNew();
    do
    {
        var warm = await scenario(options.ForWarmup(memory));
        Console.Error.WriteLine($"  warm-up: {warm.Describe()}");
    }
    while (!memory && warming.Elapsed < options.WarmupTime);
}

Measurement result;
if (options.RepeatsUntilSteady)
{
    result = await Rounds.RunAsync(scenario, options);
}
else
{
    var cpuBefore = ServerCpu.Used(options.ServerPids);
    result = await scenario(options);
    if (cpuBefore is { } before && ServerCpu.Used(options.ServerPids) is { } after)
    {
        // The server's own CPU for the measured round: less noisy than throughput when the load generator shares the cores.
        result.Figures["server_cpu_s"] = (after - before).TotalSeconds;
    }
}

Console.WriteLine(result.Describe());
if (options.Output is { } output)
{
    await result.SaveAsync(output);
}

return result.ErrorCount == 0 ? 0 : 1;
