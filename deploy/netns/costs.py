"""Redis cost of each session operation, measured on the netns cluster (deploy/netns/cluster.sh costs).

For each operation, N times: CONFIG RESETSTAT, the operations, then INFO; prints Redis commands,
bytes in and out (as Redis counts them: every client, silos and front ends) and memory per operation.
Background traffic (membership heartbeats, gateway list refreshes) is measured over an idle period of
the same length and subtracted. Runs in the client namespace; needs redis-cli and python3-websockets.
"""
import argparse
import asyncio
import json
import subprocess
import time
import urllib.request

import websockets


def redis(host: str, *args: str) -> str:
    return subprocess.run(["redis-cli", "-h", host, *args], check=True, capture_output=True, text=True, timeout=10).stdout


def info(host: str) -> dict:
    figures: dict = {}
    for section in ("commandstats", "stats", "memory", "keyspace"):
        for line in redis(host, "INFO", section).splitlines():
            if line.startswith("cmdstat_"):
                name, fields = line[len("cmdstat_"):].split(":", 1)
                figures["cmd:" + name] = int(dict(f.split("=") for f in fields.split(","))["calls"])
            elif ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                figures[key] = value
    return figures


def post(url: str) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=30) as response:
        return json.loads(response.read())


def get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()


async def many(n: int, work, width: int = 20) -> list:
    gate = asyncio.Semaphore(width)

    async def one(i: int):
        async with gate:
            return await work(i)
    return await asyncio.gather(*(one(i) for i in range(n)))


def session_keys(host: str) -> set[str]:
    """Session state keys: {serviceId}/state/{grainId}/{stateName} (Silo/RedisSessionStorage.cs)."""
    return set(redis(host, "--scan", "--pattern", "sessions/state/*").split())


def print_sizes(host: str, what: str, keys: set[str]) -> None:
    sizes = sorted(int(redis(host, "MEMORY", "USAGE", key, "SAMPLES", "0")) for key in sorted(keys)[:100])
    print(json.dumps(dict(what=what, keys=len(keys), memory_usage_median=sizes[len(sizes) // 2],
                          memory_usage_min=sizes[0], memory_usage_max=sizes[-1])), flush=True)


def rss_kb(pids: list[int]) -> int:
    """Resident memory of the given processes (/proc is shared across network namespaces)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return total


async def hold(front: str, n: int, front_pid: int, silo_pids: list[int]) -> None:
    """Memory per held session socket on the front end, and per session with a socket on the silos."""
    await asyncio.sleep(5)
    front_before, silos_before = rss_kb([front_pid]), rss_kb(silo_pids)
    sessions = await many(n, lambda i: asyncio.to_thread(post, f"http://{front}/sessions"))
    sockets = []

    async def open_socket(i: int) -> None:
        ws = await websockets.connect(f"ws://{front}/sessions/{sessions[i]['id']}/ws", open_timeout=30,
                                      extra_headers={"Authorization": f"Bearer {sessions[i]['resumeToken']}"})
        await asyncio.wait_for(ws.recv(), 30)  # welcome: the session is active and knows the socket
        sockets.append(ws)
    await many(n, open_socket, width=50)
    await asyncio.sleep(10)  # let allocation settle; RSS includes garbage not yet collected either way
    front_after, silos_after = rss_kb([front_pid]), rss_kb(silo_pids)
    print(json.dumps(dict(operation="hold session sockets", n=len(sockets),
                          front_end_rss_mb=[round(front_before / 1024), round(front_after / 1024)],
                          front_end_kb_per_socket=round((front_after - front_before) / n, 1),
                          silos_rss_mb=[round(silos_before / 1024), round(silos_after / 1024)],
                          silos_kb_per_session=round((silos_after - silos_before) / n, 1))), flush=True)
    await asyncio.gather(*(ws.close() for ws in sockets))


def keys_count(figures: dict) -> int:
    db = figures.get("db0", "keys=0").split(",")[0]
    return int(db.split("=")[1])


async def measure(host: str, name: str, n: int, action, idle: dict | None) -> dict:
    redis(host, "CONFIG", "RESETSTAT")
    before = info(host)
    started = time.monotonic()
    await action()
    elapsed = time.monotonic() - started
    after = info(host)
    commands = {k[4:]: after[k] - before.get(k, 0) for k in after if k.startswith("cmd:") and k not in ("cmd:info", "cmd:config")}
    bytes_in = int(after["total_net_input_bytes"]) - int(before["total_net_input_bytes"])
    bytes_out = int(after["total_net_output_bytes"]) - int(before["total_net_output_bytes"])
    if idle:  # background traffic at the idle rate, for as long as this took
        scale = elapsed / idle["seconds"]
        commands = {k: v - idle["commands"].get(k, 0) * scale for k, v in commands.items()}
        bytes_in -= idle["bytes_in"] * scale
        bytes_out -= idle["bytes_out"] * scale
    result = dict(operation=name, n=n, seconds=round(elapsed, 1),
                  commands_per_op={k: round(v / n, 2) for k, v in sorted(commands.items()) if round(v / n, 2) != 0},
                  bytes_in_per_op=round(bytes_in / n), bytes_out_per_op=round(bytes_out / n),
                  memory_per_op=round((int(after["used_memory"]) - int(before["used_memory"])) / n),
                  keys_added=keys_count(after) - keys_count(before))
    print(json.dumps(result), flush=True)
    return dict(seconds=elapsed, commands=commands, bytes_in=bytes_in, bytes_out=bytes_out)


async def main(args: argparse.Namespace) -> None:
    front, host, n = args.front, args.redis, args.n
    idle = await measure(host, "idle (per second)", 10, lambda: asyncio.sleep(10), None)
    idle_rate = dict(idle, seconds=idle["seconds"])

    await measure(host, "GET /process (new anonymous session)", n,
                  lambda: many(n, lambda i: asyncio.to_thread(get, f"http://{front}/process")), idle_rate)
    process_keys = session_keys(host)
    print_sizes(host, "key of a /process session", process_keys)

    created: list[dict] = []

    async def create(_: int) -> None:
        created.append(await asyncio.to_thread(post, f"http://{front}/sessions"))
    await measure(host, "POST /sessions", n, lambda: many(n, create), idle_rate)

    created_keys = session_keys(host) - process_keys
    print_sizes(host, "key of a POST /sessions session", created_keys)

    async def echo_and_task(i: int) -> None:
        session = created[i]
        async with websockets.connect(f"ws://{front}/sessions/{session['id']}/ws", open_timeout=10,
                                      extra_headers={"Authorization": f"Bearer {session['resumeToken']}"}) as ws:
            await ws.recv()  # welcome
            await ws.send(json.dumps({"type": "task.start", "kind": "sleep", "seconds": 1, "ref": 1}))
            while json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] != "task.completed":
                pass
    await measure(host, "session socket: open, one 1 s sleep task to completion, close", n, lambda: many(n, echo_and_task), idle_rate)
    print_sizes(host, "key of a POST /sessions session after one task", created_keys)

    async def echoes(i: int) -> None:
        session = created[i]
        async with websockets.connect(f"ws://{front}/sessions/{session['id']}/ws", open_timeout=10,
                                      extra_headers={"Authorization": f"Bearer {session['resumeToken']}"}) as ws:
            await ws.recv()  # welcome
            for ref in range(10):
                await ws.send(json.dumps({"type": "echo", "data": "x", "ref": ref}))
                await asyncio.wait_for(ws.recv(), 30)
            # Counters reach storage at the next Sessions:FlushInterval (30 s): hold the socket past it.
            await asyncio.sleep(32)
    await measure(host, "session socket: 10 echoes, held 32 s (one flush interval), close", n, lambda: many(n, echoes, width=n), idle_rate)

    if args.front_pid:
        await hold(front, args.hold, args.front_pid, [int(pid) for pid in args.silo_pids.split(",")])


parser = argparse.ArgumentParser()
parser.add_argument("--front", required=True)
parser.add_argument("--redis", required=True)
parser.add_argument("--n", type=int, default=500)
parser.add_argument("--hold", type=int, default=5000, help="session sockets held open for the memory figures")
parser.add_argument("--front-pid", type=int, help="the front end's PID, for its resident memory")
parser.add_argument("--silo-pids", default="", help="the silos' PIDs, comma-separated")
asyncio.run(main(parser.parse_args()))
