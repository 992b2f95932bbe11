#!/usr/bin/env bash
# Runs every check of the project: formatting, vet, the Go tests with the
# race detector (a real redis-server is started by the tests themselves),
# the Adaptive Card renderer check, the Teams manifest validator and the
# end-to-end test through the Microsoft 365 Agents Playground.
set -euo pipefail
cd "$(dirname "$0")/.."
ART="${ARTIFACTS:-$PWD/artifacts}"
mkdir -p "$ART"

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
if [ -n "$bad" ]; then echo "gofmt would change:"; echo "$bad"; exit 1; fi

step "go vet"
go vet ./...

step "staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

step "code shape: function length and cognitive complexity"
bash scripts/shape.sh

step "go test -race"
go test -race -count=1 -timeout 15m ./... 2>&1 | tee "$ART/go-test.log"

step "go test: the 13,000-page measurements (without the race detector)"
go test -count=1 -run '13000' ./cmd/attestbot ./store 2>&1 | tee -a "$ART/go-test.log"

if [ -f cards/rendercheck/check.mjs ]; then
  step "Adaptive Cards renderer check"
  node cards/rendercheck/check.mjs cards/testdata/golden
fi

if [ -f manifest/validatorcheck/check.mjs ]; then
  step "Teams app manifest validator"
  go run ./cmd/attestbot manifest build --out "$ART/attestbot.zip"
  node manifest/validatorcheck/check.mjs "$ART/attestbot.zip"
fi

if [ -f e2e/run.sh ]; then
  step "end to end with the Agents Playground"
  ARTIFACTS="$ART" bash e2e/run.sh
fi
echo
echo "all checks passed"
