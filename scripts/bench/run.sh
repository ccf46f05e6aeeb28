#!/usr/bin/env bash
# `make bench`: runs the real release binaries (bridge, Odoo simulator, dev OpenID provider) on
# 127.0.0.1 with a bench config, measures each figure of the performance targets, writes one JSON
# per measurement into target/bench/ and prints the summary table (scripts/bench/summary.mjs).
# Every load stays on the loopback interface and stops by itself.
#
#   BENCH_SECONDS=10   length of each wrk run (login page, simulator page, tokeninfo)
#   LOAD_SECONDS=60    the mixed load test at saturation (0 skips it; at most 90, see below)
#   BENCH_ONLY="criterion page tokeninfo browser load"   a subset, for working on one figure
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

BENCH_SECONDS=${BENCH_SECONDS:-10}
LOAD_SECONDS=${LOAD_SECONDS:-60}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
BENCH_ONLY=${BENCH_ONLY:-criterion page tokeninfo browser load}
BRIDGE_PORT=${BENCH_BRIDGE_PORT:-3470}
ODOO_PORT=${BENCH_ODOO_PORT:-8470}
IDP_PORT=${BENCH_IDP_PORT:-9470}
BRIDGE=http://127.0.0.1:$BRIDGE_PORT
# Another build of the bridge to compare (e.g. a store change), same config and measurements.
BRIDGE_BIN=${BENCH_BRIDGE_BIN:-target/release/login-bridge}
ODOO=http://127.0.0.1:$ODOO_PORT
IDP=http://127.0.0.1:$IDP_PORT
# The page a person opens from a bridge-initiated link (the provider page).
PAGE_PATH="/?odoo=acme&return_to=/odoo/sales"

OUT=$ROOT/target/bench
RUN=$OUT/run
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$ROOT/target/site}
export LEPTOS_OUTPUT_NAME=${LEPTOS_OUTPUT_NAME:-login-bridge}
export BENCH_ODOO_API_KEY=sim-admin-api-key
export BENCH_IDP_CLIENT_SECRET=bench-client-secret

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
want() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }

# Tokens live ODOO_TOKEN_TTL_SECS (120 s) from when they are written; the load test's pool is
# written before it starts, so a longer test would present expired tokens.
if [ "$LOAD_SECONDS" -gt 90 ]; then
  echo "bench: LOAD_SECONDS=$LOAD_SECONDS is over 90: the tokeninfo pool (120 s tokens) would expire mid-run" >&2
  exit 2
fi

# ---- tools --------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  say "apt-get install wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends wrk
fi
for bin in "$BRIDGE_BIN" target/release/odoo-sim; do
  [ -x "$bin" ] || { echo "bench: $bin is missing: run make build" >&2; exit 1; }
done
for port in "$BRIDGE_PORT" "$ODOO_PORT" "$IDP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: 127.0.0.1:$port is in use; free it or set BENCH_BRIDGE_PORT / BENCH_ODOO_PORT / BENCH_IDP_PORT" >&2
    exit 1
  fi
done

mkdir -p "$OUT"
# A partial run (BENCH_ONLY) keeps the other figures of the last full run.
if [ "$BENCH_ONLY" = "criterion page tokeninfo browser load" ]; then rm -f "$OUT"/*.json; fi
rm -rf "$RUN"
mkdir -p "$RUN/tokens"

say "machine"
node scripts/bench/machine.mjs > "$OUT/machine.json"
cat "$OUT/machine.json"

# ---- criterion: server time per login (in-process, before the servers start) -------------------
if want criterion; then
  say "criterion: one login through the router (server/benches/login.rs)"
  cargo bench -p login-bridge --bench login 2>&1 | grep -v '^\s*Compiling' | tee "$RUN/criterion.log" ||
    echo "bench: the criterion bench failed (see above); the summary says what is missing" >&2
fi

if ! want page && ! want tokeninfo && ! want browser && ! want load; then
  node scripts/bench/summary.mjs "$OUT"
  exit 0
fi

say "token pool tool"
cargo build --release -q -p login-bridge --example bench_tokens
TOKENS_BIN=$ROOT/target/release/examples/bench_tokens

# ---- the stack ---------------------------------------------------------------------------------
cat > "$RUN/bridge.toml" <<TOML
# make bench: the bridge as in production, with request limits and table caps raised far above
# what one client address can send here (the limiters still run on every request), and tokeninfo
# admitting only the address Odoo's server calls from.
public_url = "$BRIDGE"
listen = "127.0.0.1:$BRIDGE_PORT"

[limits]
per_ip_per_minute = 60000000
burst = 1000000
tokeninfo_per_minute = 60000000
tokeninfo_burst = 1000000

[store]
url = "sqlite://$RUN/bridge.db"
# The load test starts a few thousand logins a second from one address for a minute: by the
# bridge's own rules a flood, which the caps would refuse with 503 after 100 000 pending flows.
# Raised like the rate limits; the caps themselves are tested in make test (bounded_tables.rs).
max_pending_flows = 2000000
max_pending_requests = 2000000

[[odoo]]
id = "acme"
url = "$ODOO"
database = "acme"
display_name = "Acme Corp"
api_login = "admin"
api_key_env = "BENCH_ODOO_API_KEY"
link_by_email = true
tokeninfo_allowed_ips = ["127.0.0.1"]

[[provider]]
id = "devidp"
kind = "oidc"
display_name = "Dev IdP"
issuer = "$IDP"
client_id = "login-bridge"
client_secret_env = "BENCH_IDP_CLIENT_SECRET"
email_domains = ["example.com"]
TOML
sed -e "s#127.0.0.1:3100#127.0.0.1:$BRIDGE_PORT#g" -e "s#127.0.0.1:8169#127.0.0.1:$ODOO_PORT#g" \
  end2end/fixtures/odoo-seed.json > "$RUN/odoo-seed.json"

pids=()
cleanup() {
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

say "starting the dev IdP, the Odoo simulator and the bridge (logs in $RUN)"
(cd end2end && IDP_PORT=$IDP_PORT IDP_CLIENT_SECRET=$BENCH_IDP_CLIENT_SECRET \
  IDP_REDIRECT_URIS=$BRIDGE/callback/devidp exec node idp/server.mjs) > "$RUN/idp.log" 2>&1 &
pids+=($!)
target/release/odoo-sim --seed "$RUN/odoo-seed.json" --listen "127.0.0.1:$ODOO_PORT" > "$RUN/odoo-sim.log" 2>&1 &
pids+=($!)
SIM_PID=$!
wait_for() {
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "bench: $1 did not come up; see $RUN/*.log" >&2
  exit 1
}
wait_for "$IDP/.well-known/openid-configuration"
wait_for "$ODOO/web/login"

# start_bridge LOG: a new bridge process on an empty store; ready = the provider discovered
# (/readyz says so), and only /healthz and /readyz were asked.
start_bridge() {
  rm -f "$RUN"/bridge.db*
  "$BRIDGE_BIN" serve --config "$RUN/bridge.toml" > "$RUN/$1" 2>&1 &
  BRIDGE_PID=$!
  pids+=($BRIDGE_PID)
  for _ in $(seq 1 150); do
    if curl -fsS "$BRIDGE/readyz" 2>/dev/null | grep -q '"devidp":{[^}]*"status":"ok"'; then return 0; fi
    sleep 0.2
  done
  echo "bench: the bridge is not ready; see $RUN/$1" >&2
  curl -sS "$BRIDGE/readyz" >&2 || true
  exit 1
}
stop_bridge() {
  kill "$BRIDGE_PID" 2>/dev/null || true
  wait "$BRIDGE_PID" 2>/dev/null || true
}
start_bridge bridge.log

# VmRSS and VmHWM (peak) of a process, in KiB.
mem() { awk '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {printf "{\"rss_kib\":%d,\"hwm_kib\":%d}", r, h}' "/proc/$1/status"; }
sleep 2
RSS_IDLE=$(mem "$BRIDGE_PID")
curl -fsS -o /dev/null "$BRIDGE$PAGE_PATH"
sleep 1
RSS_ONE_PAGE=$(mem "$BRIDGE_PID")
write_rss() {
  printf '{"name":"rss","pid":%s,"idle_after_start":%s,"after_one_page":%s,"after_benchmarks":%s,"odoo_sim_after_benchmarks":%s}\n' \
    "$BRIDGE_PID" "$RSS_IDLE" "$RSS_ONE_PAGE" "$(mem "$BRIDGE_PID")" "$(mem "$SIM_PID")" > "$OUT/rss.json"
}
write_rss

# wrk NAME URL SCRIPT SECONDS CONNECTIONS THREADS [env…]: one run, JSON to target/bench/NAME.json.
run_wrk() {
  local name=$1 url=$2 script=$3 seconds=$4 conns=$5 threads=$6
  shift 6
  env "$@" BENCH_NAME="$name" BENCH_URL="$url" BENCH_CONNECTIONS="$conns" BENCH_JSON="$OUT/$name.json" \
    wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s "scripts/bench/$script" "$url" > "$RUN/$name.wrk.txt" 2>&1
}

# ---- first visit in Chromium --------------------------------------------------------------------
if want browser; then
  say "first visit in Chromium (scripts/bench/first-visit.mjs)"
  node scripts/bench/first-visit.mjs "$BRIDGE$PAGE_PATH" "$OUT/first_visit.json" || echo "bench: the first-visit measurement failed (see above)" >&2
fi

# ---- login page, and the simulator's as the reference ------------------------------------------
if want page; then
  say "login page: wrk ${CONNECTIONS} connections, ${BENCH_SECONDS} s (bridge, then the simulator's /web/login)"
  run_wrk page "$BRIDGE$PAGE_PATH" plain.lua "$BENCH_SECONDS" "$CONNECTIONS" "$WRK_THREADS"
  run_wrk page_odoo_sim "$ODOO/web/login" plain.lua "$BENCH_SECONDS" "$CONNECTIONS" "$WRK_THREADS"
fi

# ---- tokeninfo with a pool of fresh tokens -----------------------------------------------------
if want tokeninfo; then
  say "bridge /healthz: the HTTP stack alone, the ceiling for tokeninfo (5 s)"
  run_wrk healthz "$BRIDGE/healthz" plain.lua 5 "$CONNECTIONS" "$WRK_THREADS"
  # The pool covers the run at the ceiling's rate plus a fifth: tokeninfo cannot go faster
  # than a route that does nothing, so it never runs dry (wrk reports it if it does).
  ceiling=$(node -e 'console.log(Math.ceil(JSON.parse(require("fs").readFileSync(process.argv[1])).requests_per_s))' "$OUT/healthz.json")
  pool=$(( ceiling * (BENCH_SECONDS + 1) * 12 / 10 ))
  say "tokeninfo: minting $pool fresh tokens into the bridge's store"
  rm -f "$RUN"/tokens/*
  "$TOKENS_BIN" --db "$RUN/bridge.db" --count "$pool" --shards "$WRK_THREADS" --out "$RUN/tokens" | tee "$RUN/tokens.json"
  say "tokeninfo: wrk ${CONNECTIONS} connections, ${BENCH_SECONDS} s, each token once"
  run_wrk tokeninfo "$BRIDGE/odoo/tokeninfo" tokeninfo.lua "$BENCH_SECONDS" "$CONNECTIONS" "$WRK_THREADS" TOKEN_DIR="$RUN/tokens"
fi
write_rss

# ---- 60 s at saturation: page, start, tokeninfo at once -------------------------------------------
if want load && [ "$LOAD_SECONDS" -gt 0 ]; then
  # A new bridge on an empty store: the load starts from the state a deployment starts in, and
  # the unused tokens of the tokeninfo run cannot expire (and be purged in one go) mid-test.
  stop_bridge
  say "load: restarting the bridge on an empty store"
  start_bridge bridge-load.log
  # The pool is sized from the tokeninfo run alone (sharing the machine, the load's tokeninfo
  # goes slower); without one, from the target rate. Capped at what can be written in 45 s: the
  # first token must still be alive (120 s) when the last one the test uses is sent. A pool that
  # runs dry shows as errors and `tokens_exhausted`.
  tokeninfo_rate=$(node -e 'try{console.log(Math.ceil(JSON.parse(require("fs").readFileSync(process.argv[1])).requests_per_s))}catch{console.log(20000)}' "$OUT/tokeninfo.json")
  mint_rate=$(node -e 'try{const t=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(Math.floor(t.tokens/t.seconds))}catch{console.log(20000)}' "$RUN/tokens.json")
  pool=$(( tokeninfo_rate * (LOAD_SECONDS + 2) * 12 / 10 ))
  if [ "$pool" -gt $(( mint_rate * 45 )) ]; then pool=$(( mint_rate * 45 )); fi
  say "load: minting $pool fresh tokens for the tokeninfo share"
  rm -rf "$RUN/load-tokens"; mkdir -p "$RUN/load-tokens"
  "$TOKENS_BIN" --db "$RUN/bridge.db" --count "$pool" --shards 1 --out "$RUN/load-tokens" | tee "$RUN/load-tokens.json"
  # Connections split 8 / 4 / 4: a sign-in page is viewed more often than a login starts, and
  # each start is followed by one tokeninfo call (from Odoo) when the person finishes.
  say "load: ${LOAD_SECONDS} s at saturation (page 8, start 4, tokeninfo 4 connections), RSS and store size every 2 s"
  ls -l "$RUN"/bridge.db* > "$RUN/db-before-load.txt"
  (
    start=$(date +%s%N)
    while kill -0 "$BRIDGE_PID" 2>/dev/null; do
      printf '{"t_ms":%d,"mem":%s,"db_bytes":%d,"wal_bytes":%d}\n' $(( ($(date +%s%N) - start) / 1000000 )) "$(mem "$BRIDGE_PID")" \
        "$(stat -c %s "$RUN/bridge.db" 2>/dev/null || echo 0)" "$(stat -c %s "$RUN/bridge.db-wal" 2>/dev/null || echo 0)"
      sleep 2
    done
  ) > "$RUN/rss-samples.jsonl" &
  sampler=$!
  run_wrk load_page "$BRIDGE$PAGE_PATH" plain.lua "$LOAD_SECONDS" 8 1 &
  w1=$!
  run_wrk load_start "$BRIDGE/login/devidp?odoo=acme&return_to=/odoo/sales" plain.lua "$LOAD_SECONDS" 4 1 &
  w2=$!
  run_wrk load_tokeninfo "$BRIDGE/odoo/tokeninfo" tokeninfo.lua "$LOAD_SECONDS" 4 1 TOKEN_DIR="$RUN/load-tokens" &
  w3=$!
  wait "$w1" "$w2" "$w3"
  sleep 4
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=
  ls -l "$RUN"/bridge.db* > "$RUN/db-after-load.txt"
  alive=true
  kill -0 "$BRIDGE_PID" 2>/dev/null || alive=false
  node scripts/bench/load-report.mjs "$OUT" "$RUN" "$LOAD_SECONDS" "$alive"
fi

# Bridge log lines at WARN/ERROR during the whole run (rate limits, store failures…).
sed 's/\x1b\[[0-9;]*m//g' "$RUN"/bridge*.log | grep -E ' (WARN|ERROR) ' > "$RUN/bridge-problems.log" || true

cleanup
trap - EXIT INT TERM
node scripts/bench/summary.mjs "$OUT"
