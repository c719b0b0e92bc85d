"""Echo traffic on both front ends of the local cluster, optionally killing a silo with SIGKILL midway.

Usage: /usr/bin/python3 deploy/local/echo_load.py [--kill-pid-file deploy/local/.run/silo1.pid] [--seconds 25]
Needs Debian's python3-websockets. Prints messages sent, answered, wrong and lost, and sockets closed.
"""
import argparse
import asyncio
import os
import signal
import time

import websockets

stats = dict(sent=0, answered=0, wrong=0, lost=0, closed=0)
slowest = [0.0]


async def client(i, stop):
    port = 5001 + i % 2
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=10) as ws:
        n = 0
        while not stop.is_set():
            text = f"c{i}-m{n}"
            started = time.monotonic()
            await ws.send(text)
            stats["sent"] += 1
            try:
                reply = await asyncio.wait_for(ws.recv(), 60)
            except asyncio.TimeoutError:
                stats["lost"] += 1
                return
            except websockets.ConnectionClosed as closed:
                stats["closed"] += 1
                print(f"socket {i} closed: {closed.code} {closed.reason}")
                return
            slowest[0] = max(slowest[0], time.monotonic() - started)
            stats["answered" if reply == f"Echo: {text}" else "wrong"] += 1
            n += 1
            await asyncio.sleep(0.05)


async def main(args):
    stop = asyncio.Event()
    clients = [asyncio.create_task(client(i, stop)) for i in range(args.sockets)]
    await asyncio.sleep(3)
    if args.kill_pid_file:
        pid = int(open(args.kill_pid_file).read())
        os.kill(pid, signal.SIGKILL)
        print(f"killed {pid} with SIGKILL after {stats['sent']} messages")
    await asyncio.sleep(args.seconds)
    stop.set()
    await asyncio.gather(*clients)
    print(stats, f"slowest reply {slowest[0]:.1f} s")


parser = argparse.ArgumentParser()
parser.add_argument("--kill-pid-file")
parser.add_argument("--seconds", type=int, default=25)
parser.add_argument("--sockets", type=int, default=20)
asyncio.run(main(parser.parse_args()))
