#!/usr/bin/env bash
# Measures attestbot end to end with the shared Teams bot harness
# (../shared/harness): the real binary as an extra row next to the bare Go
# Echo bot (the limit) and Microsoft's botbuilder-js, auth on, replies over
# HTTPS to the harness's fake cloud. Prints the harness table and its fake
# cloud counters. Without the harness it says so and exits 0.
#
# It runs the harness once per mode in MODES (default "warm miss"): warm
# is serve as deployed (the summary card of the app asked is cached after
# the first answer); miss runs serve with ATTESTBOT_CARD_CACHE=0, so that
# every reply builds and encodes the card, as the first question about an
# app does (the harness's load sends the same text in every request).
#
# Knobs (environment): HARNESS (default ../shared/harness), BOTS (default
# "go-echo botbuilder-js"), CONC (32), DUR (10), ROUNDS (3), WARMUP (3),
# LOAD_TEXT (plumm), ATTESTBOT_PAGES (default sample/corpus), MODES.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS="${HARNESS:-../shared/harness}"
if [ ! -x "$HARNESS/run-anchors.sh" ]; then
  echo "bench-e2e: no harness at $HARNESS (../shared/harness): nothing measured."
  echo "bench-e2e: set HARNESS to a checkout of the Teams bot perf harness to run it."
  exit 0
fi
HARNESS="$(cd "$HARNESS" && pwd)"
make build >/dev/null
export ATTESTBOT_BIN="$PWD/bin/attestbot"
export ATTESTBOT_PAGES="${ATTESTBOT_PAGES:-$PWD/sample/corpus}"
export LOAD_TEXT="${LOAD_TEXT:-plumm}"
export BOT_CMD="$HARNESS/bots/attestbot/start.sh" BOT_LABEL=attestbot
export BOT_APP_ID=3b0b1b1e-0009-4000-8000-00000000b0b9 BOT_APP_SECRET=bench-secret
export BOTS="${BOTS:-go-echo botbuilder-js}" CONC="${CONC:-32}" DUR="${DUR:-10}" ROUNDS="${ROUNDS:-3}" WARMUP="${WARMUP:-3}"
echo "bench-e2e: $(nproc) cores, $(uname -sr), $(go version | cut -d' ' -f3), attestbot $(git describe --tags --always --dirty)"
for mode in ${MODES:-warm miss}; do
  case "$mode" in
    warm) unset ATTESTBOT_CARD_CACHE ;;
    miss) export ATTESTBOT_CARD_CACHE=0 ;;
    *) echo "bench-e2e: unknown mode $mode (warm or miss)" >&2; exit 2 ;;
  esac
  echo
  echo "bench-e2e: mode $mode${ATTESTBOT_CARD_CACHE:+ (ATTESTBOT_CARD_CACHE=$ATTESTBOT_CARD_CACHE)}"
  "$HARNESS/run-anchors.sh"
done
