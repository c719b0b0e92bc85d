"""Load and checks for the netns drills; runs in the client namespace, prints one JSON report.

Echo sockets (/ws) and session sockets (/sessions/{id}/ws) spread over the front ends. A session
socket sends echo requests and, every few seconds, a one-second sleep task with an idempotency key;
it keeps the last event seq and, when its socket closes, reconnects (to the next front end) with
?lastSeq and sends the unanswered request again. At the end every acknowledged task and every
session is read back over HTTP. Counts: wrong or lost replies, closes by code, seq gaps and repeats,
the longest time a session went without an answer.

Usage: /usr/bin/python3 deploy/netns/load.py --fronts 10.231.0.21:5000,10.231.0.22:5000 --seconds 60
Needs Debian's python3-websockets (10.4).
"""
import argparse
import asyncio
import itertools
import json
import signal
import time
import urllib.error
import urllib.request

import websockets

REPLY_TIMEOUT = 40  # longer than the front end's WebSockets:RetryWindow (30 s): a reply may legitimately wait that long
stats = dict(echo_sent=0, echo_answered=0, echo_wrong=0, echo_lost=0, echo_interrupted=0, sent=0, answered=0, wrong=0, lost=0,
             error_replies=0, reconnects=0, connect_failures=0, tasks_accepted=0, seq_gaps=0, seq_repeats=0)
closes: dict[str, int] = {}
max_gaps: dict[str, float] = {}  # session id -> longest wait for an answer
accepted: list[tuple[str, str, str, str]] = []  # front, session id, token, task id
sessions: list[tuple[str, str]] = []


def close_code(error: websockets.ConnectionClosed) -> str:
    return str(error.rcvd.code) if error.rcvd else "1006"


def http(method: str, url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:
        return 0, {}


async def echo_client(i: int, fronts: list[str], stop: asyncio.Event) -> None:
    rotation = itertools.cycle(fronts[i % len(fronts):] + fronts[:i % len(fronts)])
    n = 0
    in_flight = False
    while not stop.is_set():
        try:
            async with websockets.connect(f"ws://{next(rotation)}/ws", open_timeout=10) as ws:
                while not stop.is_set():
                    text = f"e{i}-{n}"
                    await ws.send(text)
                    stats["echo_sent"] += 1
                    in_flight = True
                    try:
                        reply = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)
                    except asyncio.TimeoutError:
                        stats["echo_lost"] += 1
                        return
                    in_flight = False
                    stats["echo_answered" if reply == f"Echo: {text}" else "echo_wrong"] += 1
                    n += 1
                    await asyncio.sleep(0.1)
        except websockets.ConnectionClosed as closed:
            closes[close_code(closed)] = closes.get(close_code(closed), 0) + 1
            # /ws has no resume: a message in flight when its front end dies is gone with the socket.
            stats["echo_interrupted"] += in_flight
            in_flight = False
        except (OSError, asyncio.TimeoutError, websockets.InvalidStatusCode):
            stats["connect_failures"] += 1
            await asyncio.sleep(0.5)


class Session:
    def __init__(self, i: int, fronts: list[str]):
        self.i = i
        self.rotation = itertools.cycle(fronts[i % len(fronts):] + fronts[:i % len(fronts)])
        self.front = next(self.rotation)
        self.id = ""
        self.token = ""
        self.last_seq: int | None = None
        self.last_answer = time.monotonic()

    async def create(self) -> None:
        status, body = await asyncio.to_thread(http, "POST", f"http://{self.front}/sessions")
        if status != 201:
            raise OSError(f"POST /sessions answered {status}")
        self.id, self.token = body["id"], body["resumeToken"]
        sessions.append((self.id, self.token))
        self.last_seq = None
        self.last_answer = time.monotonic()

    def on_event(self, message: dict) -> None:
        seq = message["seq"]
        if self.last_seq is not None:
            if seq <= self.last_seq:
                stats["seq_repeats"] += 1
            elif seq != self.last_seq + 1:
                stats["seq_gaps"] += 1
        if self.last_seq is None or seq > self.last_seq:
            self.last_seq = seq

    async def connect(self):
        query = f"?lastSeq={self.last_seq}" if self.last_seq is not None else ""
        ws = await websockets.connect(f"ws://{self.front}/sessions/{self.id}/ws{query}", open_timeout=10,
                                      extra_headers={"Authorization": f"Bearer {self.token}"})
        first = json.loads(await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT))
        if first["type"] == "reset":
            self.last_seq = first["seq"]
        elif first["type"] == "welcome":
            if self.last_seq is None:
                self.last_seq = first["seq"]
        else:
            raise OSError(f"first message {first['type']}")
        return ws

    async def request(self, ws, message: dict) -> dict:
        """Sends one request and returns its answer; events that arrive meanwhile are checked."""
        await ws.send(json.dumps(message))
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            raw = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
            reply = json.loads(raw)
            if "seq" in reply and reply["type"].startswith("task.") and reply["type"] != "task.accepted":
                self.on_event(reply)
            elif reply.get("ref") == message["ref"]:
                return reply

    async def run(self, stop: asyncio.Event, rotate: float) -> None:
        await self.create()
        ref = 0
        pending: dict | None = None
        session_started = time.monotonic()
        while not stop.is_set():
            try:
                ws = await self.connect()
            except (OSError, asyncio.TimeoutError, websockets.InvalidStatusCode, websockets.ConnectionClosed):
                stats["connect_failures"] += 1
                self.front = next(self.rotation)
                await asyncio.sleep(0.5)
                continue
            try:
                while not stop.is_set():
                    if rotate and time.monotonic() - session_started > rotate:
                        await ws.close()
                        self.note_gap()
                        await self.create()
                        session_started = time.monotonic()
                        break
                    if pending is None:
                        ref += 1
                        if ref % 30 == 0:
                            pending = {"type": "task.start", "kind": "sleep", "seconds": 1, "idempotencyKey": f"k{ref}", "ref": ref}
                        else:
                            pending = {"type": "echo", "data": f"s{self.i}-{ref}", "ref": ref}
                        stats["sent"] += 1
                    try:
                        reply = await self.request(ws, pending)
                    except asyncio.TimeoutError:
                        stats["lost"] += 1
                        pending = None
                        continue
                    self.check(pending, reply)
                    pending = None
                    await asyncio.sleep(0.1)
                else:
                    await ws.close()
            except websockets.ConnectionClosed as closed:
                closes[close_code(closed)] = closes.get(close_code(closed), 0) + 1
                stats["reconnects"] += 1
                self.front = next(self.rotation)
        self.note_gap()

    def note_gap(self) -> float:
        now = time.monotonic()
        max_gaps[self.id] = max(max_gaps.get(self.id, 0), now - self.last_answer)
        return now

    def check(self, request: dict, reply: dict) -> None:
        self.last_answer = self.note_gap()
        if reply["type"] == "error":
            stats["error_replies"] += 1
        elif request["type"] == "echo":
            stats["answered" if reply.get("data") == f"Echo: {request['data']}" else "wrong"] += 1
        elif reply["type"] == "task.accepted":
            stats["answered"] += 1
            if not reply.get("replayed"):
                stats["tasks_accepted"] += 1
            accepted.append((self.front, self.id, self.token, reply["task"]["id"]))
        else:
            stats["wrong"] += 1


def read_back(front: str) -> dict:
    """Every acknowledged task must still exist; no session may answer 5xx."""
    missing = server_errors = 0
    seen = set()
    for _, sid, token, task in accepted:
        if (sid, task) in seen:
            continue
        seen.add((sid, task))
        status, _ = http("GET", f"http://{front}/sessions/{sid}/tasks/{task}", token)
        missing += status == 404
        server_errors += status >= 500 or status == 0
    sessions_5xx = sum(1 for sid, token in sessions
                       if (s := http("GET", f"http://{front}/sessions/{sid}", token)[0]) >= 500 or s == 0)
    return dict(tasks_checked=len(seen), tasks_missing=missing, tasks_5xx=server_errors,
                sessions=len(sessions), sessions_5xx=sessions_5xx)


async def main(args: argparse.Namespace) -> None:
    fronts = args.fronts.split(",")
    stop = asyncio.Event()
    # SIGUSR1 ends the run early: the drill decides when its actions are over.
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, stop.set)
    work = [asyncio.create_task(echo_client(i, fronts, stop)) for i in range(args.echo)]
    work += [asyncio.create_task(Session(i, fronts).run(stop, args.rotate)) for i in range(args.sessions)]
    try:
        await asyncio.wait_for(stop.wait(), args.seconds)
    except asyncio.TimeoutError:
        stop.set()
    await asyncio.wait_for(asyncio.gather(*work), REPLY_TIMEOUT + 20)
    check_front = args.check_front or fronts[-1]
    report = dict(stats, closes=closes, max_gap_ms=round(1000 * max(max_gaps.values(), default=0)),
                  sessions_gap_over_3s=sum(1 for g in max_gaps.values() if g > 3), **await asyncio.to_thread(read_back, check_front))
    print(json.dumps(report), flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("--fronts", required=True, help="host:port of each front end, comma-separated")
parser.add_argument("--seconds", type=float, default=60)
parser.add_argument("--echo", type=int, default=10, help="/ws echo sockets")
parser.add_argument("--sessions", type=int, default=20, help="session sockets")
parser.add_argument("--rotate", type=float, default=0, help="start a new session every this many seconds (0: never)")
parser.add_argument("--check-front", help="front end used for the read-back at the end (default: the last)")
asyncio.run(main(parser.parse_args()))
