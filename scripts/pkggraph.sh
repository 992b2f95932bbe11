#!/usr/bin/env bash
# Prints the module's package graph: each package of the module, then the
# packages of the module it imports (production code; test imports left
# out), from `go list`. README.md keeps this output between the
# "pkggraph" markers; scripts/shape.sh checks that it is current.
#
#   bash scripts/pkggraph.sh            # print the graph
#   bash scripts/pkggraph.sh --update   # rewrite README.md's copy
set -euo pipefail
cd "$(dirname "$0")/.."

mod=$(go list -m)
graph() {
  go list -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ./... |
    awk -v mod="$mod/" '{
      pkg = substr($1, length(mod) + 1)
      deps = ""
      for (i = 2; i <= NF; i++) {
        if (index($i, mod) == 1) deps = deps " " substr($i, length(mod) + 1)
      }
      if (deps == "") deps = " -"
      printf "%-24s →%s\n", pkg, deps
    }'
}

if [ "${1:-}" = "--update" ]; then
  out=$(graph)
  python3 - "$out" <<'PY'
import sys
graph = sys.argv[1]
path = "README.md"
text = open(path, encoding="utf-8").read()
start, end = "<!-- pkggraph:start -->", "<!-- pkggraph:end -->"
i, j = text.index(start) + len(start), text.index(end)
text = text[:i] + "\n```text\n" + graph + "\n```\n" + text[j:]
open(path, "w", encoding="utf-8").write(text)
PY
  exit 0
fi
graph
