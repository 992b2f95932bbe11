#!/usr/bin/env bash
# Starts attestbot in local mode (no app registration: inbound auth off,
# loopback only, the bundled sample catalog) and the Microsoft 365 Agents
# Playground next to it. Open the printed URL and chat with the bot.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PLAYGROUND_PORT:-56150}"
[ -x bin/attestbot ] || go build -o bin/attestbot ./cmd/attestbot
if [ ! -f e2e/node_modules/@microsoft/m365agentsplayground/cli.js ]; then
  npm ci --prefix e2e --no-audit --no-fund --loglevel=error >/dev/null
fi
mkdir -p data/playground
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

bin/attestbot serve & pids+=($!)
( cd data/playground && TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true \
    exec node ../../e2e/node_modules/@microsoft/m365agentsplayground/cli.js start \
      --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams \
      --port "$PORT" --disable-telemetry ) & pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/_debug/ping" 2>/dev/null && break
  sleep 0.2
done
echo
echo "attestbot is running in local mode; chat with it in the Agents Playground:"
echo "    http://127.0.0.1:$PORT"
echo "(Ctrl-C stops both)"
wait -n "${pids[@]}"
