#!/usr/bin/env bash
# Measures the real binary on the ~13,000-page set of BenchmarkImport13000
# (internal/catalogio: the sample's current pages copied, each copy of an app
# page an app of its own, as in the public catalog):
#   1. catalog import: wall, user and system time, peak RSS (/usr/bin/time -v);
#   2. serve after start: RSS, anonymous and file-backed, once the catalog is
#      loaded, and the peak while loading it;
#   3. "plumm" asked once in local mode: the app the answer card names;
#   4. serve under the shared harness load (../shared/harness; without it the
#      script says so and stops after step 3): the harness table with attestbot
#      serving a copy of the imported store. The wrapper resets the process's
#      peak RSS (VmHWM, /proc/PID/clear_refs) once the catalog is loaded, so
#      the table's peak RSS column is the peak under load, not the load's.
#      serve's first catalog poll (ATTESTBOT_CATALOG_POLL, 30 s) falls inside
#      the rounds and maps the whole records bucket for a moment (about
#      80 MiB); SERVE_ENV=ATTESTBOT_CATALOG_POLL=1h keeps it out.
#
# Knobs (environment): OUT (scratch folder for the set, the stores and the
# logs; default a new temporary one), MEASURE_LOCK (a file: each measurement
# runs under `flock` on it, so that it does not overlap another's), HARNESS,
# BOTS (go-echo), CONC (32), DUR (8), ROUNDS (2), WARMUP (3), LOAD_TEXT
# (plumm), SERVE_ENV (environment for serve only, e.g. "GOMEMLIMIT=150MiB"),
# SERVE_ARGS (extra serve flags, e.g. "--pprof 127.0.0.1:6060"), SERVE_PORT
# (4761) and CAPTURE_PORT (4762) for steps 2 and 3, SKIP_HARNESS=1 (steps 1-3
# only), ONLY_HARNESS=1 (step 4 only, on the store an earlier run left in OUT),
# BIN (the binary to measure, e.g. an older build to compare; default: the
# one `make build` makes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT="${OUT:-$(mktemp -d /tmp/bench-13k.XXXXXX)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SERVE_PORT="${SERVE_PORT:-4761}" CAPTURE_PORT="${CAPTURE_PORT:-4762}"
say() { echo "bench-13k: $*"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# lock and unlock bracket a measurement: flock on MEASURE_LOCK when set (the
# processes started in between do not inherit the lock's descriptor).
lock() { if [ -n "${MEASURE_LOCK:-}" ]; then exec 9>>"$MEASURE_LOCK" && flock 9; fi; }
unlock() { if [ -n "${MEASURE_LOCK:-}" ]; then flock -u 9 && exec 9>&-; fi; }
# Sizes are in MiB, as in the harness's table.
rss() { # pid: RSS, anonymous and file-backed, peak
  awk '/^Rss:/ {r=$2} /^Anonymous:/ {a=$2} END {printf "RSS %.1f MiB (anonymous %.1f, file-backed %.1f)", r/1024, a/1024, (r-a)/1024}' "/proc/$1/smaps_rollup"
  awk '/^VmHWM:/ {printf ", peak %.1f MiB", $2/1024}' "/proc/$1/status"
}
wait_ready() { # port
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.1
  done
  return 1
}

if [ -z "${BIN:-}" ]; then
  make build >/dev/null
  BIN="$ROOT/bin/attestbot"
fi
say "$(nproc) cores, $(uname -sr), $(go version | cut -d' ' -f3), attestbot $(git describe --tags --always --dirty), scratch $OUT"

# The set: written by a go test helper (the generator is test code).
if [ ! -d "$OUT/pages" ]; then
  ATTESTBOT_13K_DIR="$OUT/pages" go test -count=1 -run '^TestWriteCatalog13000$' ./internal/catalogio >/dev/null
fi
say "set: $(find "$OUT/pages" -type f | wc -l) pages in $OUT/pages"

# 1. Import.
import_set() {
  rm -f "$OUT/imp.db"
  say "import: load average before $(load)"
  lock
  /usr/bin/time -v "$BIN" catalog import --store "$OUT/imp.db" "$OUT"/pages/* >"$OUT/import.log" 2>"$OUT/import.time" 9>&-
  unlock
  say "import: $(grep -m1 '^imported' "$OUT/import.log")"
  say "import: $(awk -F': ' '/Elapsed/ {w=$2} /User time/ {u=$2} /System time/ {s=$2} /Percent of CPU/ {c=$2} /Maximum resident/ {m=$2}
    END {printf "wall %s, user %s s, system %s s, %s of a core, peak RSS %.1f MiB", w, u, s, c, m/1024}' "$OUT/import.time"), load average after $(load)"
}

# 2 and 3. serve in local mode (no app ID: auth off, loopback only) on a copy
# of the store; "plumm" is posted once, the reply goes to a capture server.
serve_local() {
  cp "$OUT/imp.db" "$OUT/local.db"
  rm -f "$OUT/replies.txt"
  python3 - "$CAPTURE_PORT" "$OUT/replies.txt" 9>&- <<'EOF' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id":"r1"}')
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
  local cap=$!
  # shellcheck disable=SC2086
  env ${SERVE_ENV:-} ATTESTBOT_LISTEN="127.0.0.1:$SERVE_PORT" ATTESTBOT_STORE="$OUT/local.db" "$BIN" serve ${SERVE_ARGS:-} >"$OUT/serve-local.log" 2>&1 9>&- &
  local pid=$! t0=$SECONDS
  if ! wait_ready "$SERVE_PORT"; then
    say "serve did not answer /readyz within 60 s; log: $OUT/serve-local.log"
    kill "$pid" "$cap" 2>/dev/null || true
    return 1
  fi
  say "serve: catalog loaded in $((SECONDS - t0)) s ($(grep -o 'records=[0-9]* apps=[0-9]*' "$OUT/serve-local.log" | head -1))"
  sleep 3
  say "serve after start: $(rss "$pid"), load average $(load)"
  curl -s -o /dev/null -H 'Content-Type: application/json' "http://127.0.0.1:$SERVE_PORT/api/messages" --data \
    '{"type":"message","id":"q1","text":"'"${LOAD_TEXT:-plumm}"'","channelId":"msteams","serviceUrl":"http://127.0.0.1:'"$CAPTURE_PORT"'/","from":{"id":"29:u1","aadObjectId":"6b1c0b6e-3f1a-4d55-9a9b-2f0c5f7d9e11"},"conversation":{"conversationType":"personal","tenantId":"72f988bf-0000-4000-8000-00000000fake","id":"a:q1"},"recipient":{"id":"28:bot"},"locale":"en-US","channelData":{"tenant":{"id":"72f988bf-0000-4000-8000-00000000fake"}}}'
  for _ in $(seq 1 50); do [ -s "$OUT/replies.txt" ] && break; sleep 0.1; done
  if [ -s "$OUT/replies.txt" ]; then
    say "asked \"${LOAD_TEXT:-plumm}\": a $(wc -c <"$OUT/replies.txt")-byte reply, card: $(grep -o '"text":"[^"]*"' "$OUT/replies.txt" | head -2 | cut -d'"' -f4 | paste -sd'|'), $(grep -o '"slug":"[^"]*","kind":"[^"]*"' "$OUT/replies.txt" | head -1)"
  else
    say "asked \"${LOAD_TEXT:-plumm}\": no reply within 5 s; log: $OUT/serve-local.log"
  fi
  kill "$pid" "$cap"
  wait "$pid" "$cap" 2>/dev/null || true
}

if [ "${ONLY_HARNESS:-}" != 1 ] || [ ! -f "$OUT/imp.db" ]; then
  import_set
  if command -v python3 >/dev/null; then
    lock
    serve_local
    unlock
  else
    say "no python3: serve after start and the plumm answer skipped"
  fi
fi

# 4. The harness.
HARNESS="${HARNESS:-../shared/harness}"
if [ "${SKIP_HARNESS:-}" = 1 ]; then exit 0; fi
if [ ! -x "$HARNESS/run-anchors.sh" ]; then
  say "no harness at $HARNESS (../shared/harness): serve under load not measured."
  say "set HARNESS to a checkout of the Teams bot perf harness to run it."
  exit 0
fi
HARNESS="$(cd "$HARNESS" && pwd)"
cat >"$OUT/start-13k.sh" <<EOF
#!/usr/bin/env bash
# The harness's BOT_CMD: attestbot serving a fresh copy of the imported 13k
# store with what a multi-tenant Azure Bot deployment has (as
# bots/attestbot/start.sh, without the import).
set -eu
cp "$OUT/imp.db" "$OUT/harness.db"
export MicrosoftAppId="\$BOT_APP_ID" MicrosoftAppPassword="\$BOT_APP_SECRET" ATTESTBOT_STORE="$OUT/harness.db"
export ATTESTBOT_LISTEN="\$BOT_LISTEN" ATTESTBOT_OPENID_METADATA_URL="\$BOT_OPENID_METADATA_URL"
export ATTESTBOT_LOGIN_URL="\${BOT_LOGIN_URL%/botframework.com}" SSL_CERT_FILE="\$BOT_EXTRA_CA_FILE"
# Once the catalog is loaded, reset the peak RSS of this process (serve after
# the exec below), so that the harness's peak is the one under load.
( for _ in \$(seq 1 600); do curl -sf -o /dev/null "http://\$BOT_LISTEN/readyz" && break; sleep 0.1; done
  echo 5 >/proc/\$\$/clear_refs
  echo "bench-13k: peak RSS reset once loaded: \$(grep VmRSS /proc/\$\$/status | tr -s ' \t' ' ')" >&2
  # Then sample RSS, anonymous and file-backed (kB), twice a second.
  while [ -r /proc/\$\$/smaps_rollup ]; do
    awk -v t="\$(date +%T.%N | cut -c1-10)" '/^Rss:/ {r=\$2} /^Anonymous:/ {a=\$2} END {if (r) print t, r, a, r-a}' /proc/\$\$/smaps_rollup
    sleep 0.5
  done >"$OUT/rss-samples.txt" 2>/dev/null ) &
exec env ${SERVE_ENV:-} "$BIN" serve ${SERVE_ARGS:-}
EOF
chmod +x "$OUT/start-13k.sh"
export BOT_CMD="$OUT/start-13k.sh" BOT_LABEL=attestbot
export BOT_APP_ID=3b0b1b1e-0009-4000-8000-00000000b0b9 BOT_APP_SECRET=bench-secret
export BOTS="${BOTS:-go-echo}" CONC="${CONC:-32}" DUR="${DUR:-8}" ROUNDS="${ROUNDS:-2}" WARMUP="${WARMUP:-3}" LOAD_TEXT="${LOAD_TEXT:-plumm}"
say "harness: load average before $(load)"
lock
"$HARNESS/run-anchors.sh" 9>&- | tee "$OUT/harness.txt"
unlock
say "harness: load average after $(load); attestbot's log: $(grep -o 'logs: .*' "$OUT/harness.txt" | cut -d' ' -f2)/custom.log"
say "harness: attestbot's RSS under load, sampled twice a second: $(awk 'NR>1 {if ($2>r) {r=$2; a=$3; f=$4}} END {printf "at most %.1f MiB (anonymous %.1f, file-backed %.1f)", r/1024, a/1024, f/1024}' "$OUT/rss-samples.txt") ($OUT/rss-samples.txt: time, RSS, anonymous, file-backed in kB)"
