using System.Diagnostics;
using System.Globalization;
using GrainCost;
using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ClusterHosting;

// What Orleans itself costs per grain call on this machine, with nothing of the service in the path:
//   call   - a call to a grain that is already in memory
//   cycle  - a grain activated for one call and deactivated after it (what a session per GET /process needs at least)
//   session - the service's own session grain doing what an anonymous GET /process asks of it (RunTask creating the
//             session, a sleep of 10 ms, the one state write, leaving memory), without HTTP
// Usage: GrainCost [operations per round, 20000] [calls in flight, 1000] [modes, call,cycle,session] [rounds, 6]
var operations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var inFlight = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;

using var host = Host.CreateDefaultBuilder()
    .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo.UseLocalhostClustering().AddSessionGrains(new ClusterHostingOptions()))
    .Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var warm = Enumerable.Range(0, inFlight).Select(i => grains.GetGrain<IProbeGrain>($"warm-{i}")).ToArray();

Console.WriteLine("mode   round  ops/s     cpu µs/op  alloc B/op");
var modes = args.Length > 2 ? args[2].Split(',') : ["call", "cycle", "session"];
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 6;
var sleep = TaskSpec.Sleep(TimeSpan.FromMilliseconds(10));
foreach (var mode in modes)
{
    for (var round = 0; round < rounds; round++)
    {
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var next = 0;
        var workers = Enumerable.Range(0, inFlight).Select(async worker =>
        {
            while (Interlocked.Increment(ref next) <= operations)
            {
                if (mode == "session")
                {
                    var session = grains.GetGrain<ISessionGrain>(SessionId.New().Value);
                    await session.RunTask(sleep, createSession: true, TimeSpan.FromSeconds(30), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                    continue;
                }

                var grain = mode == "call" ? warm[worker] : grains.GetGrain<IProbeGrain>(Guid.NewGuid().ToString("N"));
                await grain.Ping(leave: mode == "cycle").WaitAsync(TimeSpan.FromSeconds(30));
            }
        });
        await Task.WhenAll(workers);

        // Deactivations finish after the calls answer; give them a moment so their work is counted.
        if (mode != "call")
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / operations;
        var allocPerOp = (GC.GetTotalAllocatedBytes() - allocated) / operations;
        // The first rounds warm the JIT (tiering) and the thread pool; read the last ones.
        Console.WriteLine($"{mode,-6} {round,5}  {operations / elapsed.TotalSeconds,8:F0}  {cpuPerOp,9:F1}  {allocPerOp,10}");
    }
}

await host.StopAsync(TimeSpan.FromSeconds(10));
