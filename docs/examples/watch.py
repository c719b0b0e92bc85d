"""Prints a session's events until a task completes or is cancelled.

Usage: /usr/bin/python3 docs/examples/watch.py <session-id> <resume-token> [lastSeq]
SESSIONS_URL names another front end than ws://localhost:5000.
Works with Debian's python3-websockets (10.4; apt-get install python3-websockets) and with websockets 14+
from pip: it authenticates with its first message, so neither's header arguments are needed.
"""
import asyncio
import json
import os
import sys

import websockets

BASE = os.environ.get("SESSIONS_URL", "ws://localhost:5000")


async def main(session, token, last_seq=None):
    query = f"?lastSeq={last_seq}" if last_seq is not None else ""
    async with websockets.connect(f"{BASE}/sessions/{session}/ws{query}") as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        async for raw in ws:
            print(raw[:150])
            if json.loads(raw)["type"] in ("task.completed", "task.cancelled"):
                break


asyncio.run(main(*sys.argv[1:]))
