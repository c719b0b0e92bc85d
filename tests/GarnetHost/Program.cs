using System.Runtime.InteropServices;
using Garnet;

// A Redis-compatible server that comes from NuGet, for machines without redis-server: the cluster tests and
// deploy/local/cluster.sh start it with Garnet's options (--port, --bind, --lua) and stop it by PID with SIGTERM.
using var server = new GarnetServer(args);
server.Start();

var stopped = new TaskCompletionSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}

using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
await stopped.Task;
