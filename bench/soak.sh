#!/usr/bin/env bash
# What steady traffic leaves behind: the one-command service (co-hosted, in-memory store) takes CALLS anonymous
# GET /process calls, each of which creates a session, while its resident memory is sampled every 2 s.
#   bench/soak.sh [CALLS]        (default 220000; about 3 minutes on two cores)
# Results: bench/results/soak.json (figures), soak.csv (samples) and soak.svg (chart). The service is started
# with Process:Seconds=0.001 so the calls, not the wait, set the pace; it is stopped by its PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${RESULTS:-$ROOT/bench/results}
RUN_DIR=$RESULTS/.run
CALLS=${1:-220000}
PORT=${PORT:-5480}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
mkdir -p "$RUN_DIR"

echo "building (Release)..."
for project in Api bench/LoadGenerator; do
  dotnet build "$ROOT/$project" -c Release -v quiet -nologo >"$RUN_DIR/build.log" 2>&1 || { tail -20 "$RUN_DIR/build.log" >&2; exit 1; }
done

# From the Api folder, so its appsettings.json applies as it does for `dotnet run --project Api`.
(cd "$ROOT/Api" && exec setsid dotnet bin/Release/net10.0/Api.dll --Urls "http://127.0.0.1:$PORT" --Process:Seconds=0.001 \
  >"$RUN_DIR/soak-service.log" 2>&1 </dev/null) &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { echo "the service exited; see $RUN_DIR/soak-service.log" >&2; exit 1; }
  sleep 0.5
done

dotnet "$ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll" soak --url "http://127.0.0.1:$PORT" --target service \
  --calls "$CALLS" --concurrency 64 --server-pid "$PID" --out "$RESULTS/soak.json"
echo "samples: $RESULTS/soak.csv, chart: $RESULTS/soak.svg"
