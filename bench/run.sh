#!/usr/bin/env bash
# Runs every target in turn with the same load and prints the side-by-side table.
#   bench/run.sh [--quick] [--targets "limit fastapi flask service service-split"]
# Targets: the plain-Kestrel limit (bench/PlainLimit), the seed's FastAPI app (uvicorn, 1 worker), its Flask app
# (gunicorn, 2 x cores + 1 sync workers), the service co-hosted (silo in the front end) and split (Silo + Api).
# Each target is started fresh for every scenario group and stopped by its PID. The rate scenarios (/process,
# /ws echo, session-socket echo) repeat round after round on that fresh process for at least MIN_SECONDS (60) until
# three rounds agree: the first round is the cold figure, the last three the steady one.
# Results: bench/results/<target>-<scenario>-<size>.json, summary.md and chart.svg.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${RESULTS:-$ROOT/bench/results}
RUN_DIR=$RESULTS/.run
WAIT_SECONDS=${WAIT_SECONDS:-1}
# Rate scenarios run until steady, at least this long; memory scenarios get 20 s of warm-up rounds first.
MIN_SECONDS=${MIN_SECONDS:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
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

# Echo rounds: 1,000 sockets x 40 messages each, sockets opened for every round.
if $QUICK; then
  PROCESS_SIZES="1000"; ECHO_SOCKETS=1000; HOLD=2000; SESSIONS=10000; TASK_SESSIONS=200; MIN_SECONDS=${MIN_SECONDS_QUICK:-15}
else
  PROCESS_SIZES="1000 10000"; ECHO_SOCKETS=1000; HOLD=10000; SESSIONS=100000; TASK_SESSIONS=1000
fi
ECHO_MESSAGES=40
ROUNDS="--min-seconds $MIN_SECONDS"

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

# The service runs as it ships: published ReadyToRun (precompiled), as deploy/Dockerfile builds it.
echo "building (Release) and publishing the service..."
PUBLISHED=$ROOT/bench/.published
RID=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
for project in Api Silo; do
  dotnet publish "$ROOT/$project" -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true -o "$PUBLISHED/$project" \
    -v quiet -nologo >"$RUN_DIR/build.log" 2>&1 || { tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
done
for project in bench/PlainLimit bench/LoadGenerator; do
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

# Wait until an HTTP server answers a URL (any status; with --ok, a 2xx: the service is ready), or give up after a minute.
wait_http() {
  local url=$1 fail=
  [[ ${2:-} == --ok ]] && fail=-f
  for _ in $(seq 1 120); do
    if curl -s $fail -o /dev/null --max-time 2 "$url"; then return 0; fi
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

# The service's per-socket message budget (1,000/s) is lifted: ws-echo sends one message per round trip, as fast as it can.
SERVICE_ENV=(Process__Seconds="$WAIT_SECONDS" WebSockets__MessagesPerSecond=1000000 WebSockets__MessageBurst=1000000)
BIN=Release/net10.0

# Starts a target and waits until it answers; sets PORT, FRONT_PID (the process clients talk to) and
# GRAIN_PID (where session grains live: the silo in the split topology); ALL_PIDS, whose CPU rate scenarios add up.
start_target() {
  case $1 in
    limit)
      launch limit "$ROOT/bench/PlainLimit/bin/$BIN" env Process__Seconds="$WAIT_SECONDS" Urls=http://127.0.0.1:5400 dotnet PlainLimit.dll
      PORT=5400; wait_http http://127.0.0.1:5400/ ;;
    fastapi)
      launch fastapi "$ROOT/bench/peers" env PROCESS_SECONDS="$WAIT_SECONDS" /usr/bin/python3 -m uvicorn fastapi_app:app --host 127.0.0.1 --port 5401 --workers 1 --log-level warning
      PORT=5401; wait_http http://127.0.0.1:5401/ ;;
    flask)
      launch flask "$ROOT/bench/peers" env PROCESS_SECONDS="$WAIT_SECONDS" /usr/bin/gunicorn --workers $((2 * $(nproc) + 1)) --bind 127.0.0.1:5402 flask_app:app
      PORT=5402; wait_http http://127.0.0.1:5402/ ;;
    service)
      launch service "$PUBLISHED/Api" env "${SERVICE_ENV[@]}" Urls=http://127.0.0.1:5403 dotnet Api.dll
      PORT=5403; wait_http http://127.0.0.1:5403/health/ready --ok ;;
    service-split)
      launch silo "$PUBLISHED/Silo" env Cluster__SiloPort=11121 Cluster__GatewayPort=30021 Urls=http://127.0.0.1:11190 dotnet Silo.dll
      wait_http http://127.0.0.1:11190/health/ready --ok || return 1
      launch front-end "$PUBLISHED/Api" env "${SERVICE_ENV[@]}" Cluster__Topology=Client Cluster__GatewayPorts__0=30021 Urls=http://127.0.0.1:5404 dotnet Api.dll
      PORT=5404; wait_http http://127.0.0.1:5404/health/ready --ok ;;
    *) echo "unknown target $1" >&2; exit 2 ;;
  esac
  FRONT_PID=${PIDS[-1]}
  GRAIN_PID=${PIDS[0]}
  ALL_PIDS=$(IFS=,; echo "${PIDS[*]}")
}

# Which scenario groups a target can serve: Flask has no WebSockets; only the service has sessions.
groups_of() {
  case $1 in
    flask) echo process ;;
    limit | fastapi) echo process ws ;;
    *) echo process ws sessions ;;
  esac
}

# Each group, and each /process size, starts from a fresh process: no run inherits another's sessions,
# queued requests or heap, and each rate scenario's first round shows what a freshly started process does.
for target in $TARGETS; do
  echo "=== $target"
  warm="--warmup --warmup-seconds $WARMUP_SECONDS"
  [[ $target == flask ]] && warm=
  for group in $(groups_of "$target"); do
    case $group in
      process)
        for size in $PROCESS_SIZES; do
          start_target "$target" && measure "$target" "$PORT" "$ALL_PIDS" process "$size" $ROUNDS --timeout 60
          stop_all
        done ;;
      ws)
        start_target "$target" && {
          measure "$target" "$PORT" "$ALL_PIDS" ws-echo "$ECHO_SOCKETS" --messages "$ECHO_MESSAGES" $ROUNDS
          # ws-hold counts the memory of the process that holds the sockets: the front end.
          measure "$target" "$PORT" "$FRONT_PID" ws-hold "$HOLD" --warmup --settle 10
        }
        stop_all ;;
      sessions)
        start_target "$target" && {
          measure "$target" "$PORT" "$ALL_PIDS" session-echo "$ECHO_SOCKETS" --messages "$ECHO_MESSAGES" $ROUNDS
          # sessions counts the memory of the process the grains live in: the silo when split.
          measure "$target" "$PORT" "$GRAIN_PID" sessions "$SESSIONS" --warmup --settle 10
          measure "$target" "$PORT" "$ALL_PIDS" tasks "$TASK_SESSIONS" --tasks 3 --task-seconds "$WAIT_SECONDS" $warm
        }
        stop_all ;;
    esac
  done
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wait ${WAIT_SECONDS} s"
$LOAD report "$RESULTS"
