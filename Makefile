# attestbot: the two commands a newcomer needs are `make run` and `make test`.

GO ?= go
BIN := bin/attestbot
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: all build run test deps fmt bench bench-e2e bench-13k fuzz clean

all: build

build:
	$(GO) build -ldflags "-X main.Version=$(VERSION)" -o $(BIN) ./cmd/attestbot

# Runs the bot in local mode with the bundled sample catalog and opens the
# Microsoft 365 Agents Playground next to it.
run: build
	bash scripts/run-local.sh

# Every check: gofmt, vet, staticcheck, code shape, go test -race, card renderer, manifest validator,
# end-to-end through the Playground. Installs missing tools first.
test:
	bash scripts/deps.sh
	bash scripts/test.sh

deps:
	bash scripts/deps.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# End to end with the shared Teams bot harness (../shared/harness):
# attestbot next to the bare Go bot and botbuilder-js. docs/performance.md
# keeps the latest table.
bench-e2e:
	bash scripts/bench-e2e.sh

# The real binary on the ~13,000-page set of BenchmarkImport13000: import
# time and peak RSS, serve's RSS after start, and serve under the harness
# load (when ../shared/harness is there). Set MEASURE_LOCK to a file to run
# each measurement under flock on it.
bench-13k:
	bash scripts/bench-13k.sh

fuzz:
	$(GO) test ./attestation -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 60s

clean:
	rm -rf bin artifacts
