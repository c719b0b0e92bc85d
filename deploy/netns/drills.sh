# Drills for deploy/netns/cluster.sh (sourced by it): each runs load from the client namespace through
# both front ends, does something to the cluster, then checks deploy/netns/load.py's report.
# Every wait is bounded; each drill prints its figures and PASS or FAIL per expectation.

FAILED=()
LOAD_PID=""
LOAD_OUT=""

fronts() { echo "$(addr api1):5000,$(addr api2):5000"; }

# Starts load.py in the client namespace; it runs until stop_load (or 600 s at most).
start_load() {
  LOAD_OUT=$RUN_DIR/load-$1.json; shift
  (exec ip netns exec "$(ns client)" "$PYTHON" "$HERE/load.py" --fronts "$(fronts)" --seconds 600 "$@" \
    >"$LOAD_OUT" 2>"$RUN_DIR/load.log") &
  LOAD_PID=$!
  sleep 5 # sockets open and sessions created before the drill acts
}

# Ends the load and waits for its report (the read-back of tasks and sessions takes a few seconds).
stop_load() {
  kill -USR1 "$LOAD_PID"
  local deadline=$((SECONDS + 120))
  while kill -0 "$LOAD_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$LOAD_PID" 2>/dev/null; then kill -KILL "$LOAD_PID"; fi
  wait "$LOAD_PID" || true
  LOAD_PID=""
  [[ -s $LOAD_OUT ]] || { log "load.py wrote no report; see $RUN_DIR/load.log"; tail -5 "$RUN_DIR/load.log"; return 1; }
  log "report: $(cat "$LOAD_OUT")"
}

# field NAME: a number (or a JSON value) from the last report.
field() { "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$LOAD_OUT" "$1"; }

# expect DRILL DESCRIPTION ARITHMETIC-TEST
expect() {
  local drill=$1 what=$2 test=$3
  if (($test)); then log "  PASS $drill: $what"; else log "  FAIL $drill: $what"; FAILED+=("$drill: $what"); fi
}

# Closes other than 1000 (normal) and 1001 (going away) are errors.
error_closes() { "$PYTHON" -c 'import json,sys; print(sum(v for k, v in json.load(open(sys.argv[1]))["closes"].items() if k not in ("1000", "1001")))' "$LOAD_OUT"; }

expect_clean_replies() {
  local drill=$1
  expect "$drill" "0 wrong replies (session $(field wrong), echo $(field echo_wrong))" "$(field wrong) + $(field echo_wrong) == 0"
  expect "$drill" "0 lost replies (session $(field lost), echo $(field echo_lost))" "$(field lost) + $(field echo_lost) == 0"
  expect "$drill" "0 error replies ($(field error_replies))" "$(field error_replies) == 0"
  expect "$drill" "0 acknowledged tasks lost ($(field tasks_missing) of $(field tasks_checked) missing, $(field tasks_5xx) 5xx)" "$(field tasks_missing) + $(field tasks_5xx) == 0 && $(field tasks_checked) > 0"
  expect "$drill" "no session answers 5xx ($(field sessions_5xx) of $(field sessions))" "$(field sessions_5xx) == 0"
}

drill_rolling() {
  log "rolling restart: SIGTERM each silo in turn, wait until it is ready again, next"
  start_load rolling --echo 10 --sessions 20
  local silo started
  for silo in silo1 silo2 silo3; do
    started=$SECONDS
    stop_process "$silo"
    local stopped=$((SECONDS - started))
    start_silo "$silo"
    log "  $silo stopped in ${stopped} s, ready again after $((SECONDS - started)) s"
    if [[ $SHORT == 1 ]]; then break; fi
  done
  sleep 5
  stop_load
  expect_clean_replies rolling
  expect rolling "no socket closed with an error code ($(field closes))" "$(error_closes) == 0"
  log "  longest wait for a session answer: $(field max_gap_ms) ms; sessions that waited over 3 s: $(field sessions_gap_over_3s)"
}

drill_partition() {
  local cut=30
  if [[ $SHORT == 1 ]]; then cut=20; fi
  log "partition: silo1's link cut for $cut s, then restored"
  start_load partition --echo 10 --sessions 20
  local pid=${PIDS[silo1]} started=$SECONDS
  cut_link silo1
  sleep "$cut"
  restore_link silo1
  log "  link restored after $((SECONDS - started)) s"
  # The cut-off silo reads the membership table again, finds itself declared dead and stops itself.
  local restored=$SECONDS deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  local stopped_itself=0
  if ! kill -0 "$pid" 2>/dev/null; then stopped_itself=1; log "  silo1 stopped itself $((SECONDS - restored)) s after the link came back"; fi
  stop_process silo1
  start_silo silo1
  sleep 5
  stop_load
  expect_clean_replies partition
  expect partition "sessions served again within 15 s (longest wait $(field max_gap_ms) ms; $(field sessions_gap_over_3s) sessions waited over 3 s)" \
    "$(field max_gap_ms) <= 15000"
  expect partition "the cut-off silo stopped itself once it learnt it was declared dead" "$stopped_itself == 1"
  log "  closes: $(field closes)"
}

# Sessions active in a silo, from its /metrics across the bridge.
silo_sessions() {
  in_ns client curl -fsS -m 2 "http://$(addr "$1"):11180/metrics" 2>/dev/null \
    | awk '/^sessions_active[{ ]/ { sum += $NF } END { print sum + 0 }'
}

drill_scaleout() {
  log "scale out: silo4 joins under load while new sessions keep starting"
  # Each session socket moves to a new session every 3 s: ~7 new sessions a second over 20 sockets.
  start_load scaleout --echo 10 --sessions 20 --rotate 3
  local started=$SECONDS
  start_silo silo4
  local ready=$SECONDS deadline=$((SECONDS + 30)) first=-1 count=0
  log "  silo4 ready after $((ready - started)) s"
  while ((SECONDS < deadline)); do
    count=$(silo_sessions silo4)
    if ((count > 0)); then first=$((SECONDS - ready)); break; fi
    sleep 0.5
  done
  sleep 5
  log "  sessions active per silo: silo1 $(silo_sessions silo1), silo2 $(silo_sessions silo2), silo3 $(silo_sessions silo3), silo4 $(silo_sessions silo4)"
  # Scale back in under the same load: a graceful leave must be as clean as a join.
  stop_process silo4
  sleep 3
  stop_load
  expect scaleout "silo4 received new sessions within 30 s of being ready (after $first s)" "$first >= 0 && $first <= 30"
  expect_clean_replies scaleout
  expect scaleout "no socket closed with an error code ($(field closes))" "$(error_closes) == 0"
}

drill_frontend() {
  log "front-end loss: api1 killed (SIGKILL); its clients reconnect to api2 with lastSeq"
  start_load frontend --echo 10 --sessions 20 --check-front "$(addr api2):5000"
  local started=$SECONDS
  stop_process api1 KILL
  sleep 10
  stop_load
  log "  session sockets reconnected: $(field reconnects); /ws echoes cut with their socket: $(field echo_interrupted); closes $(field closes)"
  expect frontend "clients reconnected ($(field reconnects))" "$(field reconnects) > 0"
  expect frontend "no event lost (seq gaps $(field seq_gaps))" "$(field seq_gaps) == 0"
  expect frontend "no event repeated (seq repeats $(field seq_repeats))" "$(field seq_repeats) == 0"
  expect_clean_replies frontend
  start_api api1
  log "  api1 back after $((SECONDS - started)) s"
}

run_drills() {
  local drill
  for drill in "$@"; do "drill_$drill"; done
  if ((${#FAILED[@]} > 0)); then
    log "${#FAILED[@]} expectation(s) failed:"
    printf '  %s\n' "${FAILED[@]}"
    return 1
  fi
  log "all drills passed: $*"
}
