#!/usr/bin/env bash
# Runs every target in turn with the same load and prints the side-by-side table.
#   bench/run.sh [--quick] [--targets "limit fastapi flask service service-split"]
# Targets: the plain-Kestrel limit (bench/PlainLimit), the seed's FastAPI app (uvicorn, 1 worker), its Flask app
# (gunicorn, 2 x cores + 1 sync workers), the service co-hosted (silo in the front end) and split (Silo + Api).
# Each target is started, warmed up, measured, and stopped by its PID before the next starts.
# Results: bench/results/<target>-<scenario>-<size>.json, summary.md and chart.svg.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${RESULTS:-$ROOT/bench/results}
RUN_DIR=$RESULTS/.run
WAIT_SECONDS=${WAIT_SECONDS:-1}
TARGETS="limit fastapi flask service service-split"
QUICK=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=true ;;
    --targets) TARGETS=$2; shift ;;
    *) echo "usage: $0 [--quick] [--targets \"limit fastapi flask service service-split\"]" >&2; exit 2 ;;
  esac
  shift
done

if $QUICK; then
  PROCESS_SIZES="1000"; ECHO_RUNS="100:500"; HOLD=2000; SESSIONS=10000; TASK_SESSIONS=200
else
  PROCESS_SIZES="1000 10000"; ECHO_RUNS="100:2000 1000:200"; HOLD=10000; SESSIONS=100000; TASK_SESSIONS=1000
fi

# The seed's peers run on Debian's Python packages.
if [[ $TARGETS == *fastapi* || $TARGETS == *flask* ]]; then
  /usr/bin/python3 -c 'import fastapi, uvicorn, websockets, flask' 2>/dev/null && [[ -x /usr/bin/gunicorn ]] || {
    echo "the peers need: apt-get install -y python3-fastapi python3-uvicorn python3-websockets python3-flask gunicorn" >&2; exit 1; }
fi

# Sockets on both ends: the load generator and each server hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
mkdir -p "$RUN_DIR"
rm -f "$RESULTS"/*.json

echo "building (Release)..."
for project in Api Silo bench/PlainLimit bench/LoadGenerator; do
  dotnet build "$ROOT/$project" -c Release -v quiet -nologo >"$RUN_DIR/build.log" 2>&1 || { tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
done
LOAD="dotnet $ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll"

PIDS=()
# Start a process in its own session and remember its PID.
launch() {
  local name=$1 dir=$2; shift 2
  (cd "$dir" && exec setsid "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null) &
  PIDS+=($!)
  echo $! >"$RUN_DIR/$name.pid"
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap stop_all EXIT

# Wait until an HTTP server answers on a port (any status), or give up after a minute.
wait_http() {
  local url=$1
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 2 "$url"; then return 0; fi
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process of this target exited; see $RUN_DIR" >&2; return 1; }; done
    sleep 0.5
  done
  echo "$url did not answer within 60 s" >&2
  return 1
}

# Run one scenario against the current target; a run with errors is still recorded.
measure() {
  local target=$1 port=$2 pid=$3 scenario=$4 size=$5; shift 5
  echo "== $target $scenario $size"
  $LOAD "$scenario" --url "http://127.0.0.1:$port" --target "$target" --concurrency "$size" --server-pid "$pid" \
    --out "$RESULTS/$target-$scenario-$size.json" "$@" || true
}

run_scenarios() {
  local target=$1 port=$2 pid=$3 kinds=$4 size run
  for size in $PROCESS_SIZES; do measure "$target" "$port" "$pid" process "$size" --warmup --timeout 60; done
  if [[ $kinds == *ws* ]]; then
    for run in $ECHO_RUNS; do measure "$target" "$port" "$pid" ws-echo "${run%%:*}" --messages "${run##*:}" --warmup; done
    measure "$target" "$port" "$pid" ws-hold "$HOLD" --warmup --settle 10
  fi
  if [[ $kinds == *sessions* ]]; then
    measure "$target" "$port" "$pid" sessions "$SESSIONS" --warmup --settle 10
    measure "$target" "$port" "$pid" tasks "$TASK_SESSIONS" --tasks 3 --task-seconds "$WAIT_SECONDS" --warmup
  fi
}

# The service's per-socket message budget (1,000/s) is lifted: ws-echo sends one message per round trip, as fast as it can.
SERVICE_ENV=(Process__Seconds="$WAIT_SECONDS" WebSockets__MessagesPerSecond=1000000 WebSockets__MessageBurst=1000000)
BIN=Release/net10.0

for target in $TARGETS; do
  echo "=== $target"
  case $target in
    limit)
      launch limit "$ROOT/bench/PlainLimit/bin/$BIN" env Process__Seconds="$WAIT_SECONDS" Urls=http://127.0.0.1:5400 dotnet PlainLimit.dll
      wait_http http://127.0.0.1:5400/ && run_scenarios limit 5400 "${PIDS[0]}" ws ;;
    fastapi)
      launch fastapi "$ROOT/bench/peers" env PROCESS_SECONDS="$WAIT_SECONDS" /usr/bin/python3 -m uvicorn fastapi_app:app --host 127.0.0.1 --port 5401 --workers 1 --log-level warning
      wait_http http://127.0.0.1:5401/ && run_scenarios fastapi 5401 "${PIDS[0]}" ws ;;
    flask)
      # A sync worker serves queued requests even after their client gave up, so each size gets a fresh server,
      # and no warm-up (there is no JIT to warm).
      for size in $PROCESS_SIZES; do
        launch flask "$ROOT/bench/peers" env PROCESS_SECONDS="$WAIT_SECONDS" /usr/bin/gunicorn --workers $((2 * $(nproc) + 1)) --bind 127.0.0.1:5402 flask_app:app
        wait_http http://127.0.0.1:5402/ && measure flask 5402 "${PIDS[0]}" process "$size" --timeout 60
        stop_all
      done ;;
    service)
      launch service "$ROOT/Api/bin/$BIN" env "${SERVICE_ENV[@]}" Urls=http://127.0.0.1:5403 dotnet Api.dll
      wait_http http://127.0.0.1:5403/health/ready && run_scenarios service 5403 "${PIDS[0]}" ws,sessions ;;
    service-split)
      launch silo "$ROOT/Silo/bin/$BIN" env Cluster__SiloPort=11121 Cluster__GatewayPort=30021 Urls=http://127.0.0.1:11190 dotnet Silo.dll
      wait_http http://127.0.0.1:11190/health/ready
      launch front-end "$ROOT/Api/bin/$BIN" env "${SERVICE_ENV[@]}" Cluster__Topology=Client Cluster__GatewayPorts__0=30021 Urls=http://127.0.0.1:5404 dotnet Api.dll
      wait_http http://127.0.0.1:5404/health/ready
      # ws-hold counts the front end's memory; sessions counts the silo's, where the grains live.
      run_scenarios service-split 5404 "${PIDS[1]}" ws
      measure service-split 5404 "${PIDS[0]}" sessions "$SESSIONS" --warmup --settle 10
      measure service-split 5404 "${PIDS[0]}" tasks "$TASK_SESSIONS" --tasks 3 --task-seconds "$WAIT_SECONDS" --warmup ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  stop_all
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wait ${WAIT_SECONDS} s"
$LOAD report "$RESULTS"
