# koiisim: the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
PKGS     := ./...
BIN      := bin/koiisim
SCENARIO ?= koii-baseline
FUZZTIME ?= 20s

.PHONY: all build run test test-unit test-race test-race-all lint staticcheck tidy-check test-report test-slurm test-k8s vet fmt-check bench bench-sim bench-sweep fuzz fuzz-all clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/koiisim

# Run the default scenario and write out/koii-baseline/, with its
# report (report.html and plots/).
OUT ?= out/$(basename $(notdir $(SCENARIO)))
run: build
	./$(BIN) run $(SCENARIO) --out $(OUT) --report

# The developer loop (2 min 41 s from a cold build cache on a quiet
# 2-core machine, 299 s of CPU; see the README's table): a gofmt
# check, vet, every test once, and the race detector over the packages
# that start goroutines.
test: fmt-check vet test-unit test-race

# Every test of every package, without the race detector. vet ran above,
# so go test's own vet pass is off.
test-unit:
	$(GO) test -count=1 -vet=off $(PKGS)

# The race detector where there is concurrency: the packages whose code
# imports sync or os/signal (today the experiment runner's worker pool
# and the CLI's signal handler), found with go list so
# a new concurrent package is raced too. RACE_SKIP names the tests of
# those packages that run on one goroutine and take tens of seconds under
# the detector (the README's examples, golden runs, reports, validation, a statistical coverage
# check of 1,600 runs); they run without it in test-unit, and with it in
# test-race-all, which CI runs.
RACE_PKGS = $(shell $(GO) list -f '{{$$p := .ImportPath}}{{range .Imports}}{{if or (eq . "sync") (eq . "sync/atomic") (eq . "os/signal")}}{{$$p}}{{"\n"}}{{end}}{{end}}' $(PKGS) | sort -u)
RACE_SKIP := ^(TestReadmeExamplesRunInOrder|TestSensitivityDesignsShardAndReport|TestBuiltinGoldens|TestDefaultScenarioIsPinned|TestReportCommand|TestReportSweep|TestReportScenarioFallback|TestReportOfRunReplicates|TestCompareCommand|TestValidateQuickPasses|TestSweepKilledAndResumed|TestOptimizeInterruptedBySIGINT|TestFrontierInterruptedBySIGINT|TestCICoversAKnownMean)$$
test-race:
	$(GO) test -race -count=1 -vet=off -skip '$(RACE_SKIP)' $(RACE_PKGS)

# Every test under the race detector (CI; about 10 minutes on 2 cores).
test-race-all:
	$(GO) test -race -count=1 -vet=off $(PKGS)

# Open real reports in headless Chromium (installed from Debian when
# missing): fails on a blank page, a missing figure or a network fetch.
test-report: build
	bash scripts/test-report.sh

# A sweep as a Slurm job array on a one-node cluster started on this
# machine (as root; installs Debian's slurm-wlm and munge when missing),
# merged by a dependent job and compared byte for byte with the same
# sweep run on one machine. The daemons it starts stop when it ends.
test-slurm:
	bash deploy/slurm/test-local.sh

# The Kubernetes Indexed Job manifest played without a cluster: its pods'
# arguments once per completion index, then the merge Job's.
test-k8s:
	bash deploy/kubernetes/test-local.sh

vet:
	$(GO) vet $(PKGS)

# CI's static checks: staticcheck and the go mod tidy check. (The ban on
# math/rand outside sim/rng.go is a test, so make test runs it.)
lint: staticcheck tidy-check

# staticcheck, pinned, installed under bin/ on first use by the Go
# module proxy (v0.8.2 is staticcheck 2026.2.2, the release for Go 1.26).
STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/staticcheck-$(STATICCHECK_VERSION)/staticcheck
$(STATICCHECK):
	GOBIN=$(CURDIR)/$(dir $@) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(STATICCHECK)
	$(STATICCHECK) $(PKGS)

# Fails, printing the diff, if go mod tidy would change go.mod or go.sum.
tidy-check:
	@$(GO) mod tidy -diff || { echo "tidy-check: go.mod or go.sum is not tidy: run go mod tidy and commit the result"; exit 1; }

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The engine's benchmarks: 10,000 nodes x 1,000 rounds, 100,000 x 100,
# 1,000 x 100, 1,000 x 1,000, and the learning pair (1,000 x 1,000 with
# fixed behaviours, then with learners: their ratio is what learning
# costs), each run once per count with memory statistics. Then the
# performance targets, each with the command that measures it:
# koiisim/floor, the engine against its raw floor (sim/floor_test.go)
# at 10,100 nodes x 1,000 rounds, three pairs in turns, ratio of median
# CPU seconds (target: at most 3); 100k/1k, the CPU per node-round at
# 101,000 nodes over that at 1,010, three times (target: at most 1.3);
# peak RSS at 101,000 nodes x 1,000 rounds (target: 200 MB) and at
# 1,010,000 x 100 (target: 2 GiB), scripts/bench-scale.sh; then the
# cost of run --history (time with and without it, peak memory at 1,000
# and 2,000 rounds).
bench:
	$(GO) test -run '^$$' -bench 'BenchmarkRun' -benchtime 1x -count 3 -benchmem ./sim
	$(GO) test -run '^$$' -bench 'BenchmarkFloorRatio10kx1k' -benchtime 1x ./sim
	$(GO) test -run '^$$' -bench 'BenchmarkFlatCost' -benchtime 1x -count 3 ./sim
	GO=$(GO) BIN=$(BIN) bash scripts/bench-scale.sh
	GO=$(GO) BIN=$(BIN) bash scripts/bench-history.sh

# The sweep benchmark: 100 points x 10 replicates of a 1,000-node,
# 100-round scenario with 1 and 2 workers (about 40 s an iteration).
bench-sweep:
	$(GO) test -run '^$$' -bench 'BenchmarkSweep' -benchtime 1x -count 3 ./experiment

# A short fuzzing session of the scenario decoder.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./scenarios

# Every fuzz target in the tree, FUZZ_EACH each (one worker, the
# machine being shared): the scenario decoder and every reader of a
# file koiisim reads back (baseline, manifest, cells, run and sweep
# outputs). A failure stops at the target that found it.
FUZZ_EACH ?= 10s
fuzz-all:
	@for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
	  d=$$(dirname $$f); \
	  for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    echo "fuzz $$t in $$d for $(FUZZ_EACH)"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZ_EACH) -parallel 1 $$d || exit 1; \
	  done; \
	done

clean:
	rm -rf bin out
