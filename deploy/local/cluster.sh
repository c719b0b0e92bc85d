#!/usr/bin/env bash
# A local cluster on one machine: a Redis-compatible server on a loopback port, 2 silos, 2 front ends.
#   deploy/local/cluster.sh start | stop | status
# Stops exactly what it started: the PIDs it wrote under $RUN_DIR. Needs only the .NET 10 SDK: the server
# is redis-server when the PATH has it, else Microsoft's Garnet from NuGet (tests/GarnetHost);
# REDIS_SERVER=redis-server or REDIS_SERVER=garnet picks one.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/deploy/local/.run}
REDIS_PORT=${REDIS_PORT:-6390}
CONFIGURATION=${CONFIGURATION:-Release}
SILOS=("11111 30000 11180" "11112 30001 11181")
FRONT_ENDS=(5001 5002)
BIN_SILO=$ROOT/Silo/bin/$CONFIGURATION/net10.0
BIN_API=$ROOT/Api/bin/$CONFIGURATION/net10.0
BIN_GARNET=$ROOT/tests/GarnetHost/bin/$CONFIGURATION/net10.0
export Cluster__Provider=Redis
export Cluster__ClusterId=${CLUSTER_ID:-local}
export Redis__ConnectionString=127.0.0.1:$REDIS_PORT
export DOTNET_NOLOGO=1

# What our processes run; a PID whose command line shows none of these is not ours (PIDs get reused).
PROGRAMS=(-e redis-server -e GarnetHost.dll -e Silo.dll -e Api.dll)

# Start a process in its own session and remember its PID. $! is the subshell until it has exec'd the
# program, so wait (bounded) until the PID runs it: alive() must never judge the shell's command line.
launch() {
  local name=$1 dir=$2; shift 2
  (cd "$dir" && exec setsid "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null) &
  local pid=$!
  echo "$pid" >"$RUN_DIR/$name.pid"
  for _ in $(seq 1 100); do
    if runs_ours "$pid" || ! kill -0 "$pid" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
}

runs_ours() {
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' </proc/"$1"/cmdline | grep -q "${PROGRAMS[@]}"
}

# Wait until a TCP port on 127.0.0.1 accepts connections, or give up.
wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 120); do
    if ! alive "$name"; then echo "$name exited; see $RUN_DIR/$name.log" >&2; tail -5 "$RUN_DIR/$name.log" >&2; return 1; fi
    if listens "$port" "$(cat "$RUN_DIR/$name.pid")"; then return 0; fi
    sleep 0.5
  done
  echo "$name did not open port $port within 60 s; see $RUN_DIR/$name.log" >&2
  return 1
}

# The port answers, and (where ss is there to tell) our PID is what listens on it: a process that failed on a
# port something else took meanwhile must not pass for ready.
listens() {
  local port=$1 pid=$2
  if command -v ss >/dev/null; then
    ss -ltnpH "sport = :$port" | grep -q "pid=$pid,"
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Refuse to start over something else: a busy port would make a process fail or, worse, look ready.
ensure_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port on 127.0.0.1 is already in use; stop what holds it or change the ports" >&2
      exit 1
    fi
  done
}

# A PID file counts only while its process is still the one we started (PIDs get reused).
alive() {
  local pid_file=$RUN_DIR/$1.pid
  [[ -f $pid_file ]] || return 1
  runs_ours "$(cat "$pid_file")"
}

stop_one() {
  local name=$1 pid_file=$RUN_DIR/$1.pid
  if alive "$name"; then
    local pid; pid=$(cat "$pid_file")
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name ($pid) did not stop in 30 s; killing it" >&2; kill -KILL "$pid"; fi
    echo "stopped $name ($pid)"
  fi
  rm -f "$pid_file"
}

# redis-server when asked for or on the PATH; otherwise Garnet, built from NuGet like the rest.
choose_server() {
  case ${REDIS_SERVER:-} in
    redis-server | redis) command -v redis-server >/dev/null || { echo "REDIS_SERVER=redis-server, but it is not on the PATH" >&2; exit 1; }; echo redis-server ;;
    garnet) echo garnet ;;
    "") if command -v redis-server >/dev/null; then echo redis-server; else echo garnet; fi ;;
    *) echo "REDIS_SERVER=$REDIS_SERVER: use redis-server or garnet" >&2; exit 2 ;;
  esac
}

start_server() {
  local server=$1
  if [[ $server == redis-server ]]; then
    launch redis "$RUN_DIR" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR"
    SERVER_NAME=$(redis-server --version | cut -d' ' -f1-3)
  else
    # Orleans' Redis clustering, storage and reminders run Lua scripts, which Garnet enables on request.
    launch redis "$RUN_DIR" dotnet "$BIN_GARNET/GarnetHost.dll" --port "$REDIS_PORT" --bind 127.0.0.1 --lua
    SERVER_NAME="Garnet 2.2.8 (Microsoft.Garnet from NuGet, tests/GarnetHost)"
  fi
  wait_port "$REDIS_PORT" redis
}

start() {
  local server; server=$(choose_server)
  mkdir -p "$RUN_DIR"
  if alive redis || alive silo1 || alive api1; then echo "already running; run '$0 stop' first" >&2; exit 1; fi
  echo "building ($CONFIGURATION)..."
  local projects=("$ROOT/Silo/Silo.csproj" "$ROOT/Api/Api.csproj")
  [[ $server == garnet ]] && projects+=("$ROOT/tests/GarnetHost/GarnetHost.csproj")
  local project; : >"$RUN_DIR/build.log"
  for project in "${projects[@]}"; do
    dotnet build "$project" -c "$CONFIGURATION" -v quiet -nologo >>"$RUN_DIR/build.log" 2>&1 \
      || { tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
  done

  # Checked after the build, which takes long enough for something else to take a port meanwhile.
  ensure_free "$REDIS_PORT" 11111 11112 30000 30001 11180 11181 "${FRONT_ENDS[@]}"

  # A start that fails half-way stops what it had started.
  trap 'echo "start failed; stopping what was started" >&2; stop >&2' EXIT
  start_server "$server"

  local i=1
  for ports in "${SILOS[@]}"; do
    read -r silo_port gateway_port http_port <<<"$ports"
    Cluster__SiloPort=$silo_port Cluster__GatewayPort=$gateway_port Urls=http://127.0.0.1:$http_port \
      launch "silo$i" "$BIN_SILO" dotnet Silo.dll
    i=$((i + 1))
  done
  wait_port 30000 silo1
  wait_port 30001 silo2

  i=1
  for port in "${FRONT_ENDS[@]}"; do
    Cluster__Topology=Client Urls=http://127.0.0.1:$port launch "api$i" "$BIN_API" dotnet Api.dll
    wait_port "$port" "api$i"
    i=$((i + 1))
  done

  trap - EXIT
  echo "redis      127.0.0.1:$REDIS_PORT: $SERVER_NAME"
  echo "silos      11111/30000, 11112/30001 (silo/gateway ports); metrics and health on :11180, :11181"
  echo "front ends http://127.0.0.1:5001  http://127.0.0.1:5002   (ws://127.0.0.1:5001/ws ...)"
  echo "dashboard  http://127.0.0.1:5001/dashboard"
  echo "logs       $RUN_DIR/*.log"
}

stop() {
  # Front ends first (they close their sockets with 1001), then silos (they write their sessions), then Redis.
  for name in api2 api1 silo2 silo1 redis; do stop_one "$name"; done
}

status() {
  for name in redis silo1 silo2 api1 api2; do
    if alive "$name"; then echo "$name running ($(cat "$RUN_DIR/$name.pid"))"; else echo "$name stopped"; fi
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
