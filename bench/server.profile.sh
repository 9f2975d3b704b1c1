#!/bin/bash
# CPU profile and event-loop delay of this server under the shared load generator's dispatch scenario.
# The server runs as `node dist/src/main.js` (built first: npx tsc -p tsconfig.json) against a FerretDB started
# here and REDIS_URL, loaded by run.mjs from the scratch copy that `npm run bench:compare` makes.
#   FERRETDB_BIN=… bench/server.profile.sh                                     # dispatch, profiled
#   EXTRA="--subs-per-ambulance 0 --fleet-subs 200 --duration 20" bench/server.profile.sh   # 40k/s fan-out
#   NODEFLAGS=" " SERVER_ENV="PROJECTION_INTERVAL_MS=60000" bench/server.profile.sh          # no profiler, a setting
#   MODE=ingest EXTRA="--duration 20" bench/server.profile.sh                                 # closed-loop ingest
# Writes to OUT (default <tmp>/aoc-profile): result.json (run.mjs), eventloop.log (every 5 s), metrics.txt (at
# the end), ferretdb.commands.txt (FerretDB's requests by command; its pprof is at FERRETDB_DEBUG_ADDR meanwhile),
# CPU.*.cpuprofile (summarise with node dist/bench/cpuprofile.summary.js FILE).
set -u
CHECKOUT=$(cd "$(dirname "$0")/.." && pwd)
TMP=${TMPDIR:-/tmp}
OUT=${OUT:-$TMP/aoc-profile}
PERF=${PERF:-$TMP/aoc-perfwork/perf}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# Below the ephemeral range (32768+): a client polling a port nothing listens on yet can connect to itself there
# and hold the port in TIME_WAIT, and the server then fails to listen.
DB_PORT=${DB_PORT:-29017}
PORT=${PORT:-29100}
EXTRA=${EXTRA:-}
MODE=${MODE:-dispatch}
FERRETDB_DEBUG_ADDR=${FERRETDB_DEBUG_ADDR:-127.0.0.1:29188}
: "${FERRETDB_BIN:?set FERRETDB_BIN to the FerretDB binary}"
[ -f "$PERF/run.mjs" ] || { echo "no $PERF/run.mjs: run npm run bench:compare once, or set PERF" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/db"
"$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$OUT/db/" --listen-addr="127.0.0.1:$DB_PORT" --debug-addr="$FERRETDB_DEBUG_ADDR" \
  --telemetry=disable --state-dir="$OUT/db" >"$OUT/ferretdb.log" 2>&1 &
FPID=$!
sleep 2
cd "$CHECKOUT"
# shellcheck disable=SC2086 # SERVER_ENV and NODEFLAGS are lists of words
env MONGODB_URI="mongodb://127.0.0.1:$DB_PORT/profile" REDIS_URL="$REDIS_URL" EVENT_CHANNEL_PREFIX="profile$$:" \
  PORT="$PORT" HOST=127.0.0.1 LOG_LEVEL=warn UPLOAD_DIR="$OUT/uploads" \
  INGEST_RATE_LIMIT_PER_DEVICE=0 INGEST_RATE_LIMIT_PER_ADDRESS=0 INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR=0 \
  WS_MAX_CONNECTIONS_PER_ADDRESS=0 WS_MAX_CONNECTIONS_PER_SUBJECT=0 ${SERVER_ENV:-} \
  node ${NODEFLAGS:---cpu-prof --cpu-prof-dir=$OUT --cpu-prof-interval 500} dist/src/main.js >"$OUT/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.5; done
curl -s "http://127.0.0.1:$PORT/metrics" >/dev/null # starts the event-loop histogram afresh
(while kill -0 $SPID 2>/dev/null; do
  sleep 5
  echo "$(date +%T) $(curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^nodejs_eventloop_lag_(p50|p99|max)_seconds' | tr '\n' ' ')"
done) >"$OUT/eventloop.log" &
# shellcheck disable=SC2086 # EXTRA is a list of options
(cd "$PERF" && node run.mjs --target new --url "http://127.0.0.1:$PORT" --pid $SPID --service-pid ferretdb=$FPID \
  --mode "$MODE" $EXTRA >"$OUT/result.json" 2>"$OUT/run.log")
curl -s "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics.txt"
curl -s "http://$FERRETDB_DEBUG_ADDR/debug/metrics" | grep -E '^ferretdb_client_requests_total' | sort -t' ' -k2 -rn \
  >"$OUT/ferretdb.commands.txt"
kill -TERM $SPID
while kill -0 $SPID 2>/dev/null; do sleep 0.5; done
kill -TERM $FPID
echo "results in $OUT"
