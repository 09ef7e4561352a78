# civicgrid: `make run` starts the demo, `make test` runs every check CI runs.

GO ?= go
PKGS := ./...

.PHONY: run test deps fmt-check vet staticcheck unit bench build clean

run:
	$(GO) run ./cmd/civicgrid serve --demo

build:
	$(GO) build -o bin/civicgrid ./cmd/civicgrid

# test installs what the tests need (Chromium for the browser tests,
# LibreOffice to open the XLSX exports), then runs formatting, vet, staticcheck
# and every test with the race detector.
test: deps fmt-check vet staticcheck unit

deps:
	$(GO) mod download
	$(GO) build ./...
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)
	command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) tool staticcheck $(PKGS)

# The full-size demo build (50,000 cases) takes minutes under the race
# detector, so the tests on it (which skip themselves under -race) run once
# more without it: the demo's own checks, the page, map and hotspot timings
# (and screenshots), and the monthly report's speed. The web tests share
# one build. The browser tests need Chromium, which deps installs.
DEMO_TESTS := TestUIDemoPages|TestMapDemo|TestHotspotsComponentsDemo
unit:
	CIVICGRID_REQUIRE_BROWSER=1 CIVICGRID_REQUIRE_OFFICE=1 $(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -run 'TestFullBuild' ./demo
	CIVICGRID_REQUIRE_BROWSER=1 $(GO) test -count=1 -run '$(DEMO_TESTS)' ./web
	$(GO) test -count=1 -run 'TestDemoMonthlyReportSpeed' ./report

# bench runs the benchmarks named in the README (not part of `make test`).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s -cpu 1,2 . ./sqlite ./web
	CIVICGRID_BENCH_CASES=100000 $(GO) test -run '^$$' -bench StatsScale -benchtime 1x ./bench

clean:
	rm -rf bin civicgrid-data
