#!/usr/bin/env bash
# End-to-end test of attestbot through the Microsoft 365 Agents Playground.
#
# Builds bin/attestbot and the Go e2e test binary (while the network is
# still there), then runs e2e/inner.sh in a loopback-only network namespace
# (unshare -n; root or user namespaces needed, else it runs directly with a
# notice). inner.sh starts attestbot with a temp store and the Playground,
# runs the Go API test (e2e/playground_test.go) and the headless UI driver
# (e2e/ui.mjs), and stops everything it started.
#
# Artifacts in $ARTIFACTS/e2e (default ./artifacts/e2e): bot.log,
# playground.log, playground.stdout, playground-events.log, go-test.log,
# ui.log, cards/*.json (every card the Go test received), screens/*.png,
# timings.txt.
#
# Knobs: E2E_NETNS=0 runs on the host network on purpose; E2E_RACE=1 builds
# the Go test with the race detector; E2E_UI=0 skips the UI driver; CHROMIUM
# names another Chromium binary; E2E_LOCALES="fr-FR de-DE ja-JP" repeats the UI
# steps in those languages (bot restarted with ATTESTBOT_LOCALE).
#
# Needs: Go, Node.js 20, chromium (/usr/bin/chromium or $CHROMIUM) and
# `npm ci --prefix e2e` (scripts/deps.sh installs all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART="${ARTIFACTS:-$ROOT/artifacts}"
mkdir -p "$ART"
ART=$(cd "$ART" && pwd)
OUT="$ART/e2e"
rm -rf "$OUT"
mkdir -p "$OUT/screens" "$OUT/cards"
: >"$OUT/timings.txt"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T0=$(now)

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "e2e: no chromium at $CHROMIUM (scripts/deps.sh installs it)" >&2; exit 1; }
if [ ! -f e2e/node_modules/@microsoft/m365agentsplayground/cli.js ] || [ ! -d e2e/node_modules/playwright-core ]; then
  echo "e2e: npm ci --prefix e2e"
  npm ci --prefix e2e --no-audit --no-fund --loglevel=error >/dev/null
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/attestbot-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

mkdir -p bin
go build -o bin/attestbot ./cmd/attestbot
go test ${E2E_RACE:+-race} -c -o "$WORK/e2e.test" ./e2e
printf '%-22s %s s\n' "install/build" "$(secs "$T0")" | tee -a "$OUT/timings.txt"

export OUT WORK BOT_BIN="$ROOT/bin/attestbot" TEST_BIN="$WORK/e2e.test"
export PG_PORT="${PG_PORT:-56150}" PG_CONV="${PG_CONV:-e2e-personal-chat}" BOT_ADDR="${BOT_ADDR:-127.0.0.1:3978}"

# A loopback-only network namespace: nothing can leave the machine, and the
# ports cannot clash with a bot or Playground already running here.
if [ "${E2E_NETNS:-auto}" != 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
  echo "e2e: running in a loopback-only network namespace (unshare -n)"
  E2E_NETNS=1 unshare -n -- bash e2e/inner.sh
else
  if [ "${E2E_NETNS:-auto}" = 0 ]; then
    echo "e2e: NOTICE: E2E_NETNS=0: no network namespace;"
  else
    echo "e2e: NOTICE: unshare -n is not permitted here (needs root or user namespaces, and iproute2);"
  fi
  echo "e2e: NOTICE: running on the host network. Telemetry is off, but nothing enforces loopback only."
  E2E_NETNS=0 bash e2e/inner.sh
fi
printf '%-22s %s s\n' "e2e total" "$(secs "$T0")" | tee -a "$OUT/timings.txt"
echo "e2e: artifacts in $OUT"
