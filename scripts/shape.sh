#!/usr/bin/env bash
# The code-shape measurement: no production function over 100 lines
# (internal/tools/funclen, from the func keyword to its closing brace;
# generated files and functions that only return a table literal do not
# count) and no cognitive complexity over 50 (github.com/uudashr/gocognit).
# Test files are left out of both. It also checks that README.md's package
# graph is the one scripts/pkggraph.sh prints.
#
# An offender fails the run; SHAPE_REPORT=1 only lists the offenders
# (report-only, for a look at work in progress).
set -uo pipefail
cd "$(dirname "$0")/.."

GOCOGNIT=github.com/uudashr/gocognit/cmd/gocognit@v1.3.0
MAX_LINES=100
MAX_COGNIT=50

# quiet drops go run's "exit status 1" and gocognit's note on recursion.
quiet() { grep -v -e '^exit status ' -e '^gocognit: note' >&2; }

status=0
echo "functions over $MAX_LINES lines:"
go run ./internal/tools/funclen -over "$MAX_LINES" . 2> >(quiet) || status=1
echo "functions over cognitive complexity $MAX_COGNIT:"
go run "$GOCOGNIT" -test=false -over "$MAX_COGNIT" . 2> >(quiet) || status=1

echo "README.md package graph:"
want=$(bash scripts/pkggraph.sh)
have=$(sed -n '/<!-- pkggraph:start -->/,/<!-- pkggraph:end -->/p' README.md | sed '1,2d;$d' | sed '$d')
if [ "$want" != "$have" ]; then
  echo "README.md's package graph is out of date: run bash scripts/pkggraph.sh --update"
  diff <(echo "$have") <(echo "$want") || true
  status=1
else
  echo "current"
fi

if [ "$status" -ne 0 ]; then
  if [ "${SHAPE_REPORT:-0}" != 1 ]; then
    echo "shape: above the limits or out of date (listed above); split the function or update the graph"
    exit 1
  fi
  echo "shape: report only (SHAPE_REPORT=1)"
fi
exit 0
