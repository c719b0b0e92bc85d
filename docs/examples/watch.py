"""Prints a session's events until a task completes or is cancelled.

Usage: /usr/bin/python3 docs/examples/watch.py <session-id> <resume-token> [lastSeq]
Needs Debian's python3-websockets (apt-get install python3-websockets).
"""
import asyncio
import json
import sys

import websockets


async def main(session, token, last_seq=None):
    query = f"?lastSeq={last_seq}" if last_seq is not None else ""
    async with websockets.connect(f"ws://localhost:5000/sessions/{session}/ws{query}") as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        async for raw in ws:
            print(raw[:150])
            if json.loads(raw)["type"] in ("task.completed", "task.cancelled"):
                break


asyncio.run(main(*sys.argv[1:]))
