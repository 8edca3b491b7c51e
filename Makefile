# The README's two commands: `make run` and `make test`. Both install what they need
# (scripts/install-deps is idempotent), configure once, and build incrementally.
JOBS ?= $(shell nproc)
BUILD ?= build
BUILD_TYPE ?= Release

.PHONY: run test test-sanitize bench deps build clean

deps:
	scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# vigil's main job on its embedded default: a SQLite database with the demo bank of benign
# images, then a scan of demo/uploads with real matches.
run: build
	scripts/run-demo $(BUILD)/src/cli/vigil

# Every test, through ctest.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON -DVIGIL_BENCH=OFF
	cmake --build build-sanitize -j $(JOBS)
	cd build-sanitize && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) --timeout 900

# Benchmarks (optimised build, FAISS as a comparison); prints the figures the issues ask for.
bench:
	VIGIL_BENCH_DEPS=1 scripts/install-deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DVIGIL_BENCH_FAISS=ON
	cmake --build build-bench -j $(JOBS)
	scripts/run-benchmarks build-bench

clean:
	rm -rf $(BUILD) build-sanitize build-bench
