#!/usr/bin/env bash
# The inside of e2e/run.sh, meant to run in a loopback-only network namespace
# (unshare -n): starts attestbot (temp store) and the Microsoft 365 Agents
# Playground, waits for both, runs the Go API test binary and the UI driver,
# and stops what it started. run.sh sets every variable below.
#
#   E2E_NETNS   1 when running in a fresh network namespace (bring lo up)
#   OUT         artifacts directory ($ARTIFACTS/e2e): logs, cards, screens
#   WORK        scratch directory (store, Playground working dir)
#   BOT_BIN     attestbot binary;  TEST_BIN  the Go e2e test binary
#   PG_PORT     Playground port (56150);  PG_CONV  fixed conversation id
#   BOT_ADDR    attestbot listen address (127.0.0.1:3978)
#   E2E_UI      0 skips the UI driver (the Go API test only)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?}" "${WORK:?}" "${BOT_BIN:?}" "${TEST_BIN:?}"
PG_PORT="${PG_PORT:-56150}"
PG_CONV="${PG_CONV:-e2e-personal-chat}"
BOT_ADDR="${BOT_ADDR:-127.0.0.1:3978}"
PG_CLI="$PWD/e2e/node_modules/@microsoft/m365agentsplayground/cli.js"

if [ "${E2E_NETNS:-0}" = 1 ]; then
  ip link set lo up
fi

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
timing() { printf '%-22s %s s\n' "$1" "$2" | tee -a "$OUT/timings.txt"; }

# http_ok URL: true when URL answers 2xx.
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
  fi
}

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# fail MSG: print MSG and the tail of the logs, then exit.
fail() {
  echo "e2e: $*" >&2
  for f in "$OUT/bot.log" "$OUT/playground.stdout" "$OUT/playground.log"; do
    [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

T=$(now)
mkdir -p "$WORK/playground"
# The catalog is a directory source (the sample's current pages) that the
# bot syncs every second, so that the test can change a page and watch the
# alert arrive as a proactive card.
rm -rf "$WORK/catalog" && cp -r sample/corpus "$WORK/catalog" && rm -rf "$WORK/catalog/history"
export E2E_SOURCE_DIR="$WORK/catalog"
ATTESTBOT_STORE="$WORK/attestbot.db" ATTESTBOT_LISTEN="$BOT_ADDR" ATTESTBOT_SOURCE="$WORK/catalog" \
  ATTESTBOT_SOURCE_CACHE="$WORK/sources" ATTESTBOT_SYNC_INTERVAL=1s \
  "$BOT_BIN" serve >"$OUT/bot.log" 2>&1 &
bot_pid=$!
pids+=("$bot_pid")

( cd "$WORK/playground" &&
  TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true \
  M365_AGENTS_PLAYGROUND_LOGFILE="$OUT/playground.log" \
  M365_AGENTS_PLAYGROUND_RECORDING_FILE="$OUT/playground-events.log" \
  exec node "$PG_CLI" start \
    --app-endpoint "http://$BOT_ADDR/api/messages" --channel-id msteams \
    --port "$PG_PORT" --conversation-id "$PG_CONV" \
    --disable-telemetry --enable-events-recording ) >"$OUT/playground.stdout" 2>&1 &
pg_pid=$!
pids+=("$pg_pid")

# The bot: /readyz from the process we started (not another on the port).
for _ in $(seq 1 300); do
  kill -0 "$bot_pid" 2>/dev/null || fail "attestbot exited during start-up (is $BOT_ADDR in use?)"
  http_ok "http://$BOT_ADDR/readyz" && break
  sleep 0.1
done
http_ok "http://$BOT_ADDR/readyz" || fail "attestbot not ready on $BOT_ADDR after 30 s"
# ... and its first sync has loaded the catalog.
for _ in $(seq 1 300); do
  grep -q 'catalog reloaded' "$OUT/bot.log" && break
  sleep 0.1
done
grep -q 'catalog reloaded' "$OUT/bot.log" || fail "attestbot did not load the catalog from its source within 30 s"
timing "bot ready" "$(secs "$T")"

# The Playground takes another port when its own is busy; it prints
# "Listening on <port>".
port=""
for _ in $(seq 1 300); do
  kill -0 "$pg_pid" 2>/dev/null || fail "the Playground exited during start-up"
  port=$(sed -n 's/.*Listening on \([0-9][0-9]*\).*/\1/p' "$OUT/playground.stdout" | head -n 1)
  [ -n "$port" ] && http_ok "http://127.0.0.1:$port/_debug/ping" && break
  sleep 0.1
done
[ -n "$port" ] && http_ok "http://127.0.0.1:$port/_debug/ping" || fail "the Playground did not answer /_debug/ping within 30 s"
[ "$port" = "$PG_PORT" ] || echo "e2e: note: port $PG_PORT was busy, the Playground listens on $port"
PG_URL="http://127.0.0.1:$port"
timing "playground ready" "$(secs "$T")"

T=$(now)
set +e
( cd e2e && PG_URL="$PG_URL" E2E_SOURCE_DIR="$E2E_SOURCE_DIR" E2E_REQUIRED=1 E2E_CARDS_DIR="$OUT/cards" \
    "$TEST_BIN" -test.count=1 -test.v -test.timeout=120s ) >"$OUT/go-test.log" 2>&1
rc=$?
set -e
grep -E '^(=== RUN|--- |\s+--- |PASS|FAIL|ok)' "$OUT/go-test.log" | grep -v '=== RUN' || true
timing "Go API test" "$(secs "$T")"
[ "$rc" = 0 ] || { cat "$OUT/go-test.log" >&2; fail "the Go API test failed (log: $OUT/go-test.log)"; }

if [ "${E2E_UI:-1}" = 0 ]; then
  echo "e2e: E2E_UI=0: the UI test is skipped"
  exit 0
fi
T=$(now)
set +e
PG_URL="$PG_URL" SCREENS="$OUT/screens" CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" \
  node e2e/ui.mjs 2>&1 | tee "$OUT/ui.log"
rc=${PIPESTATUS[0]}
set -e
timing "UI test" "$(secs "$T")"
[ "$rc" = 0 ] || fail "the UI test failed (log: $OUT/ui.log, screenshots: $OUT/screens)"

# E2E_LOCALES="fr-FR de-DE ja-JP": the UI steps again in each language, with
# the bot restarted with ATTESTBOT_LOCALE (the Playground always sends
# en-US); screenshots <locale>-NN-….png beside the English ones.
for loc in ${E2E_LOCALES:-}; do
  T=$(now)
  kill -TERM "$bot_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$bot_pid" 2>/dev/null || break; sleep 0.1; done
  ATTESTBOT_LOCALE="$loc" ATTESTBOT_STORE="$WORK/attestbot.db" ATTESTBOT_LISTEN="$BOT_ADDR" ATTESTBOT_SOURCE="$WORK/catalog" \
    ATTESTBOT_SOURCE_CACHE="$WORK/sources" ATTESTBOT_SYNC_INTERVAL=1s \
    "$BOT_BIN" serve >"$OUT/bot-$loc.log" 2>&1 &
  bot_pid=$!
  pids+=("$bot_pid")
  for _ in $(seq 1 300); do
    http_ok "http://$BOT_ADDR/readyz" && grep -Eq 'catalog (re)?loaded" records=[1-9]' "$OUT/bot-$loc.log" && break
    sleep 0.1
  done
  grep -Eq 'catalog (re)?loaded" records=[1-9]' "$OUT/bot-$loc.log" || fail "attestbot ($loc) did not load its catalog"
  set +e
  PG_URL="$PG_URL" SCREENS="$OUT/screens" CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" UI_LOCALE="$loc" \
    node e2e/ui.mjs 2>&1 | tee "$OUT/ui-$loc.log"
  rc=${PIPESTATUS[0]}
  set -e
  timing "UI test $loc" "$(secs "$T")"
  [ "$rc" = 0 ] || fail "the $loc UI test failed (log: $OUT/ui-$loc.log, screenshots: $OUT/screens)"
done
