#!/usr/bin/env bash
# CI: the short netns drills (several hosts on one machine: rolling restart, partition, scale out,
# front-end loss) and the offline Kubernetes manifest checks. The drills need root and network
# namespaces; without them this says why and skips them, as a container without CAP_NET_ADMIN would.
# Called from .ci/run with: bash .ci/netns-drills.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the checks use; installed when missing, as .ci/run does for redis-server.
need=()
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need+=(python3-websockets)
command -v "${REDIS_SERVER:-redis-server}" >/dev/null || need+=(redis-server)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]} > 0)) && [[ $(id -u) -eq 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

/usr/bin/python3 deploy/kubernetes/check.py

why=""
if [[ $(id -u) -ne 0 ]]; then
  why="not root"
elif ! ip netns add "ns231-probe-$$" 2>/dev/null; then
  why="cannot create a network namespace (no CAP_SYS_ADMIN/CAP_NET_ADMIN or no kernel support)"
else
  ip netns delete "ns231-probe-$$"
fi
if [[ -n $why ]]; then
  echo "netns drills skipped: $why"
  exit 0
fi
# Debug: the build `dotnet test Orleans.sln` already made, so the drills add no build of their own.
export CONFIGURATION=${CONFIGURATION:-Debug}
started=$SECONDS
# NETNS_DRILLS picks some (e.g. "rolling scaleout frontend"); unset runs all four.
# shellcheck disable=SC2086 # a list of drill names
timeout 600 deploy/netns/cluster.sh drills --short ${NETNS_DRILLS:-}
echo "netns drills took $((SECONDS - started)) s"
