#!/usr/bin/env bash
# How responsive the service stays while cpu tasks hash on every slot: starts a Release front end (co-hosted silo),
# submits TASKS cpu tasks of WORK rounds to one session, then times PROBES health probes and session reads.
#   bench/cpu-responsiveness.sh [extra Section__Key=value settings for the service...]
# Prints the median and slowest of each, and the thread-pool stall warnings Orleans logged. Stops the service by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-5405}
TASKS=${TASKS:-4}
WORK=${WORK:-1000000000}
PROBES=${PROBES:-20}
BASE=http://127.0.0.1:$PORT
LOG=$(mktemp)

dotnet build "$ROOT/Api" -c Release -v quiet -nologo >/dev/null
cd "$ROOT/Api"
env "$@" Urls=$BASE dotnet bin/Release/net10.0/Api.dll >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null --max-time 2 "$BASE/health/ready" && break
  sleep 1
done

created=$(curl -sf --max-time 10 -X POST "$BASE/sessions")
id=$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
token=$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["resumeToken"])')
for _ in $(seq 1 "$TASKS"); do
  curl -sf -o /dev/null --max-time 10 "$BASE/sessions/$id/tasks" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"kind\":\"cpu\",\"work\":$WORK}"
done
sleep 1

summary() { sort -n | awk -v what="$1" '{ t[NR] = $1 } END { printf "%s: median %.1f ms, slowest %.1f ms (%d probes)\n", what, 1000 * t[int((NR + 1) / 2)], 1000 * t[NR], NR }'; }
for _ in $(seq 1 "$PROBES"); do curl -s -o /dev/null -w '%{time_total}\n' --max-time 10 "$BASE/health/live"; sleep 0.5; done | summary "GET /health/live"
for _ in $(seq 1 "$PROBES"); do
  curl -s -o /dev/null -w '%{time_total}\n' --max-time 10 "$BASE/sessions/$id" -H "Authorization: Bearer $token"; sleep 0.3
done | summary "GET /sessions/{id}"
echo "thread-pool stall warnings: $(grep -c 'stalled' "$LOG" || true)"
