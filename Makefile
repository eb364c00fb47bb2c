# qmsim top-level driver: installs dependencies, configures and builds with
# CMake, then runs or tests. `make run` and `make test` are all a user needs.
BUILD    ?= build
ASAN     ?= build-asan
FUZZ     ?= build-fuzz
FUZZ_CC  ?= clang-14
FUZZ_SECONDS ?= 60
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX   ?= /usr/local
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# No "Entering/Leaving directory" lines from the make that CMake runs.
MAKEFLAGS += --no-print-directory

.PHONY: all deps deps-test configure build run test test-asan fuzz install bench digests clean

all: build

# What building and running need (make run); the test suite's extra
# packages (Chromium, R, valgrind, MPI, ...) come with make test.
deps:
	@sh scripts/deps.sh

deps-test:
	@sh scripts/deps.sh test

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Only the qmsim binary: the test programs are built by make test.
run: configure
	cmake --build $(BUILD) -j $(JOBS) --target qmsim
	$(BUILD)/qmsim run -o qmsim-out.h5 --force
	$(BUILD)/qmsim summary qmsim-out.h5

test: deps-test build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Address and undefined-behaviour sanitizers over the same suite, in a
# separate build directory so that the normal build is untouched.
test-asan: deps-test
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DQMSIM_SANITIZE=ON
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS) -LE slow

# libFuzzer on the scenario reader for FUZZ_SECONDS, in its own clang build;
# new inputs go to $(FUZZ)/corpus, a crash or hang to $(FUZZ)/artifacts and
# fails the target (tests/fuzz/README.md).
fuzz:
	@sh scripts/deps.sh fuzz
	cmake -S . -B $(FUZZ) -DCMAKE_C_COMPILER=$(FUZZ_CC) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQMSIM_FUZZ=ON
	cmake --build $(FUZZ) -j $(JOBS) --target fuzz_scenario
	mkdir -p $(FUZZ)/corpus $(FUZZ)/artifacts
	ASAN_OPTIONS=allocator_may_return_null=1 \
	$(FUZZ)/tests/fuzz/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -timeout=30 \
	    -rss_limit_mb=4096 -print_final_stats=1 -dict=tests/fuzz/scenario.dict \
	    -artifact_prefix=$(FUZZ)/artifacts/ $(FUZZ)/corpus tests/fuzz/corpus

# Record the dataset digests anew after an intentional change of the
# model's output (tests/digests/README.md).
digests: build
	/usr/bin/python3 tests/py/test_digests.py $(BUILD)/qmsim . --update

# What is installed only (the binary, the library, headers and data): after
# `make run` nothing more is compiled.  --prefix, not the configured prefix
# (the cache keeps the first configure's), so PREFIX= is always obeyed.
install: configure
	cmake --build $(BUILD) -j $(JOBS) --target qmsim
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: build
	sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
