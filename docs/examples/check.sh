#!/usr/bin/env bash
# Runs the README's Python WebSocket example and every script in docs/examples/ against a running service, once with
# Debian's python3-websockets (10.4) and once with the websockets source tree in WEBSOCKETS_SRC (14+, pure Python).
#   docs/examples/check.sh [http://127.0.0.1:5000]
#   WEBSOCKETS_SRC=/tmp/websockets/src docs/examples/check.sh     # a checkout's src/ folder; unset: 10.4 only
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
URL=${1:-http://127.0.0.1:5000}
WS_URL=ws://${URL#http://}
PYTHON=/usr/bin/python3
# Each script here needs its own arguments, so each is listed; a new one must be added below.
COVERED="watch.py"
for script in "$ROOT"/docs/examples/*.py; do
  [[ " $COVERED " == *" $(basename "$script") "* ]] || { echo "docs/examples/$(basename "$script") is not run by $0" >&2; exit 1; }
done

curl -sf --max-time 5 "$URL/health/ready" >/dev/null || { echo "no service answers at $URL (dotnet run --project Api)" >&2; exit 1; }

# The README's example as written, pointed at URL: the lines between "$ /usr/bin/python3 -c '" and "asyncio.run(main())'".
readme_example() {
  sed -n "/^\$ \/usr\/bin\/python3 -c 'import asyncio, websockets/,/^asyncio.run(main())'\$/p" "$ROOT/README.md" |
    sed "1s/^\$ \/usr\/bin\/python3 -c '//; \$s/'\$//; s#ws://localhost:5000#$WS_URL#"
}

json_field() { "$PYTHON" -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

run_all() {
  local label=$1 version
  version=$("$PYTHON" -c 'import websockets; print(websockets.__version__)')
  echo "== websockets $version ($label)"

  local example
  example=$(readme_example)
  [[ -n $example ]] || { echo "the README's Python example was not found" >&2; return 1; }
  local output
  output=$(timeout 30 "$PYTHON" -c "$example")
  echo "$output" | sed 's/^/   /'
  grep -q '^Echo: héllo 👋$' <<<"$output" || { echo "README example: no echo" >&2; return 1; }

  local created id token
  created=$(curl -sf --max-time 10 -X POST "$URL/sessions")
  id=$(json_field id <<<"$created")
  token=$(json_field resumeToken <<<"$created")
  curl -sf --max-time 15 "$URL/sessions/$id/tasks" -H "Authorization: Bearer $token" -H 'Prefer: wait=10' \
    -H 'Content-Type: application/json' -d '{"kind":"sleep","seconds":0.5}' >/dev/null
  output=$(SESSIONS_URL=$WS_URL timeout 30 "$PYTHON" "$ROOT/docs/examples/watch.py" "$id" "$token" 0)
  echo "$output" | cut -c1-100 | sed 's/^/   /'
  grep -q '"type":"task.completed"' <<<"$output" || { echo "watch.py: no task.completed" >&2; return 1; }
}

run_all "Debian's python3-websockets"
if [[ -n ${WEBSOCKETS_SRC:-} ]]; then
  PYTHONPATH=$WEBSOCKETS_SRC run_all "$WEBSOCKETS_SRC"
fi
echo "all examples ran"
