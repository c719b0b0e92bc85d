#!/usr/bin/env bash
# A cluster of several hosts on one Linux machine: one network namespace per host, joined by a bridge.
#   deploy/netns/cluster.sh hold              start everything, print the addresses, wait for Ctrl+C
#   deploy/netns/cluster.sh drills [--short] [rolling|partition|scaleout|frontend ...]
#   deploy/netns/cluster.sh costs [N [H]]     Redis work per session operation (N each), memory per held socket (H)
# Every host has its own address in 10.231.0.0/24 and the same ports (11111 silo, 30000 gateway,
# 11180 silo health/metrics, 5000 front end), as on real machines. No default route and no NAT:
# nothing inside can reach anything outside, and the root namespace has no address on the bridge.
# Everything it creates (namespaces, veths, bridge, processes by PID) is removed on exit, Ctrl+C or
# failure. Needs root, `ip netns`, redis-server (apt-get install redis-server), Debian's
# python3-websockets for the drills, and the .NET 10 SDK (it builds Silo and Api in Release once).
# REDIS_SERVER names another redis-server binary; SKIP_BUILD=1 uses the binaries already built.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/deploy/netns
RUN_DIR=${RUN_DIR:-$HERE/.run}
CONFIGURATION=${CONFIGURATION:-Release}
BIN_SILO=$ROOT/Silo/bin/$CONFIGURATION/net10.0
BIN_API=$ROOT/Api/bin/$CONFIGURATION/net10.0
NET=10.231.0
BRIDGE=nsbr231
# Host name -> last octet. silo4 is created but only started by the scale-out drill.
declare -A HOSTS=([redis]=2 [silo1]=11 [silo2]=12 [silo3]=13 [silo4]=14 [api1]=21 [api2]=22 [client]=100)
NS_PREFIX=ns231-
PYTHON=/usr/bin/python3
REDIS_SERVER=${REDIS_SERVER:-redis-server}
SHORT=0

ns() { echo "$NS_PREFIX$1"; }
addr() { echo "$NET.${HOSTS[$1]}"; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }
log() { echo "[$(date +%T)] $*"; }

preflight() {
  local missing=()
  [[ $(id -u) -eq 0 ]] || missing+=("root (run with sudo)")
  command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || missing+=("ip netns (apt-get install iproute2; a kernel with network namespaces)")
  command -v "$REDIS_SERVER" >/dev/null || missing+=("$REDIS_SERVER (apt-get install redis-server)")
  command -v curl >/dev/null || missing+=("curl (apt-get install curl)")
  "$PYTHON" -c 'import websockets' 2>/dev/null || missing+=("python3-websockets for $PYTHON (apt-get install python3-websockets)")
  command -v dotnet >/dev/null || missing+=("the .NET 10 SDK (dotnet)")
  if ((${#missing[@]} > 0)); then
    printf 'missing: %s\n' "${missing[@]}" >&2
    exit 1
  fi
  # Refuse to reuse leftovers of another run: they may belong to someone else's process.
  if ip link show "$BRIDGE" >/dev/null 2>&1 || ip netns list | grep -q "^$NS_PREFIX"; then
    echo "$BRIDGE or $NS_PREFIX* namespaces already exist (another run?); not touching them." >&2
    echo "If they are left from a run that was killed: ip netns list | grep '^$NS_PREFIX'; ip netns delete NAME; ip link delete $BRIDGE" >&2
    exit 1
  fi
}

build() {
  if [[ ${SKIP_BUILD:-0} == 1 && -f $BIN_SILO/Silo.dll && -f $BIN_API/Api.dll ]]; then return; fi
  log "building Silo and Api ($CONFIGURATION)..."
  mkdir -p "$RUN_DIR"
  for project in Silo/Silo.csproj Api/Api.csproj; do
    dotnet build "$ROOT/$project" -c "$CONFIGURATION" -v quiet -nologo >"$RUN_DIR/build.log" 2>&1 \
      || { tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
  done
}

# Names of what this run created, so cleanup removes exactly those and nothing else.
CREATED_NS=()
CREATED_BRIDGE=0
declare -A PIDS=()

create_network() {
  ip link add "$BRIDGE" type bridge
  CREATED_BRIDGE=1
  ip link set "$BRIDGE" up
  local host
  for host in "${!HOSTS[@]}"; do
    ip netns add "$(ns "$host")"
    CREATED_NS+=("$(ns "$host")")
    # The host-side end stays in the root namespace on the bridge; the other becomes the host's eth0.
    ip link add "v231$host" type veth peer name eth0 netns "$(ns "$host")"
    ip link set "v231$host" master "$BRIDGE" up
    in_ns "$host" ip link set lo up
    in_ns "$host" ip addr add "$(addr "$host")/24" dev eth0
    in_ns "$host" ip link set eth0 up
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local name
  if [[ -n ${LOAD_PID:-} ]]; then kill -KILL "$LOAD_PID" 2>/dev/null || true; fi
  if [[ -n ${HOLD_PID:-} ]]; then kill "$HOLD_PID" 2>/dev/null || true; fi
  # Front ends first (they close their sockets with 1001), then silos (they hand off), then Redis.
  for name in api1 api2 silo1 silo2 silo3 silo4 redis; do stop_process "$name"; done
  # Deleting a namespace deletes its veth end, which deletes the pair.
  for name in "${CREATED_NS[@]}"; do ip netns delete "$name" 2>/dev/null || true; done
  if ((CREATED_BRIDGE)); then ip link delete "$BRIDGE" 2>/dev/null || true; fi
  log "removed bridge $BRIDGE and ${#CREATED_NS[@]} namespaces"
  exit "$status"
}

# Starts a process in a host's namespace; `ip netns exec` and `setsid` exec in place, so $! is the process.
launch() {
  local name=$1 host=$2 dir=$3; shift 3
  # A restarted process appends to the same log: the marker says where this run's lines begin.
  echo "=== $name started $(date +%T)" >>"$RUN_DIR/$name.log"
  (cd "$dir" && exec ip netns exec "$(ns "$host")" setsid "$@" >>"$RUN_DIR/$name.log" 2>&1 </dev/null) &
  PIDS[$name]=$!
  # Out of the job table: bash would otherwise report "Killed" for a process the drills kill on purpose.
  disown "$!"
  # Until the subshell has exec'd, its command line is this script's: wait for the process itself.
  local _
  for _ in $(seq 1 50); do alive "$name" && return 0; sleep 0.1; done
  log "$name did not start; see $RUN_DIR/$name.log"
  return 1
}

# True while the PID we started is still that process (PIDs get reused).
alive() {
  local pid=${PIDS[$1]:-}
  [[ -n $pid && -r /proc/$pid/cmdline ]] && tr '\0' ' ' </proc/"$pid"/cmdline | grep -q -e redis-server -e Silo.dll -e Api.dll
}

# SIGTERM (or the given signal), then up to 40 s before SIGKILL; the silo drains in well under that.
stop_process() {
  local name=$1 signal=${2:-TERM}
  if alive "$name"; then
    local pid=${PIDS[$name]}
    kill "-$signal" "$pid"
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "$name ($pid) did not stop in 40 s; killing it"; kill -KILL "$pid"; fi
  fi
  unset "PIDS[$name]"
}

# The first and last lines the latest run of a process logged: where it started and why it ended.
last_run_lines() {
  awk -v marker="=== $1 started" 'index($0, marker) == 1 { n = 0 } { lines[n++] = $0 } END {
    for (i = 0; i < n; i++) if (i < 15 || i >= n - 25) print lines[i]; else if (i == 15) print "..." }' "$RUN_DIR/$1.log"
}

# Waits until GET url (from the client namespace, across the bridge) answers 200, or gives up.
wait_http() {
  local name=$1 url=$2 seconds=${3:-90}
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    if ! alive "$name"; then log "$name exited; see $RUN_DIR/$name.log"; last_run_lines "$name" >&2; return 1; fi
    if in_ns client curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  log "$name: $url not ready within $seconds s"
  return 1
}

start_redis() {
  launch redis redis "$RUN_DIR" "$REDIS_SERVER" --bind "$(addr redis)" --port 6379 --protected-mode no \
    --save "" --appendonly no --dir "$RUN_DIR"
  local deadline=$((SECONDS + 20))
  until in_ns client bash -c "exec 3<>/dev/tcp/$(addr redis)/6379" 2>/dev/null; do
    ((SECONDS < deadline)) || { log "redis did not listen in 20 s"; return 1; }
    sleep 0.2
  done
}

# Every host uses the same ports; only the address differs. Urls and AllowedHosts are configuration
# (no code change): health and metrics are served on the host's address, as Kubernetes probes need.
start_silo() {
  local host=$1 address; address=$(addr "$1")
  Cluster__AdvertisedAddress=$address Urls=http://$address:11180 AllowedHosts=$address \
    launch "$host" "$host" "$BIN_SILO" dotnet Silo.dll
  wait_http "$host" "http://$address:11180/health/ready"
}

start_api() {
  local host=$1 address; address=$(addr "$1")
  Cluster__Topology=Client Urls=http://$address:5000 AllowedHosts=$address \
    launch "$host" "$host" "$BIN_API" dotnet Api.dll
  wait_http "$host" "http://$address:5000/health/ready"
}

start_cluster() {
  mkdir -p "$RUN_DIR"
  rm -f "$RUN_DIR"/*.log
  export Cluster__Provider=Redis Cluster__ClusterId=netns-$$ DOTNET_NOLOGO=1
  export Redis__ConnectionString=$(addr redis):6379
  # The drills want failures noticed in seconds; these are the defaults written out, so they show in one place.
  export Cluster__Membership__ProbeTimeout=00:00:02 Cluster__Membership__MissedProbesLimit=3
  create_network
  start_redis
  log "redis  $(addr redis):6379"
  local silo
  for silo in silo1 silo2 silo3; do start_silo "$silo"; log "$silo  $(addr "$silo"):11111/30000, health http://$(addr "$silo"):11180/health/ready"; done
  start_api api1
  start_api api2
  log "api1   http://$(addr api1):5000   api2 http://$(addr api2):5000   (client namespace: $(ns client), $(addr client))"
  check_gateways
}

# The front ends found the gateways in Redis and reach them across the bridge: their connections to
# port 30000 must go to the silos' addresses, not to loopback.
check_gateways() {
  local api peers
  for api in api1 api2; do
    peers=$(in_ns "$api" ss -Htn state established '( dport = :30000 )' | awk '{print $4}' | cut -d: -f1 | sort -u | tr '\n' ' ')
    log "$api gateway connections: ${peers:-none}"
    [[ $peers == *"$NET."* ]] || { log "$api has no gateway connection across the bridge"; return 1; }
  done
}

# Cutting a host's link: its bridge port is detached, so its packets go nowhere and nothing comes back,
# as when a cable or a switch port fails. The host keeps its address and its sockets.
cut_link() { ip link set "v231$1" nomaster; }
restore_link() { ip link set "v231$1" master "$BRIDGE"; }

# shellcheck source=drills.sh
source "$HERE/drills.sh"

usage() { echo "usage: $0 hold | drills [--short] [rolling|partition|scaleout|frontend ...] | costs [N [H]]" >&2; exit 2; }

# Redis cost per operation; /process answers after 1 ms so the run measures the session, not the wait.
run_costs() {
  in_ns client "$PYTHON" "$HERE/costs.py" --front "$(addr api1):5000" --redis "$(addr redis)" --n "${1:-500}" \
    --hold "${2:-5000}" --front-pid "${PIDS[api1]}" --silo-pids "${PIDS[silo1]},${PIDS[silo2]},${PIDS[silo3]}"
}

main() {
  local command=${1:-}; shift || true
  case $command in
    hold | drills) ;;
    costs)
      preflight; build
      trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
      Process__Seconds=0.001 start_cluster
      run_costs "$@"
      return ;;
    *) usage ;;
  esac
  local drills=()
  while (($#)); do
    case $1 in
      --short) SHORT=1 ;;
      rolling | partition | scaleout | frontend) drills+=("$1") ;;
      *) usage ;;
    esac
    shift
  done
  preflight
  build
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_cluster
  if [[ $command == hold ]]; then
    log "running; Ctrl+C removes everything"
    # `wait` returns as soon as a trapped signal arrives; a foreground sleep would hold the trap back.
    while true; do sleep 3600 & HOLD_PID=$!; wait "$HOLD_PID"; done
  fi
  ((${#drills[@]} > 0)) || drills=(rolling partition scaleout frontend)
  run_drills "${drills[@]}"
}

main "$@"
