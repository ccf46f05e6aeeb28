# `make demo` and `make test` work on a fresh Debian machine: each installs what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
export CHROMIUM_PATH ?= /usr/bin/chromium
export LEPTOS_SITE_ROOT ?= $(CURDIR)/target/site
# cargo-leptos sets this at compile time; plain `cargo test` must see the same value or it
# rebuilds Leptos with other asset names (`_bg.wasm`) and overwrites the server binary.
export LEPTOS_OUTPUT_NAME := login-bridge
# The store tests run against SQLite and this PostgreSQL (`make postgres` starts it; each test
# makes its own database). Without it the PostgreSQL tests fail and say so.
export LOGIN_BRIDGE_TEST_POSTGRES_URL ?= postgres://login_bridge_test:lb-test-pw-7Hq2@127.0.0.1:5432/postgres

.PHONY: all tools build test unit e2e demo clean fuzz
.PHONY: postgres

all: build

tools:
	@scripts/install-tools.sh

# The bridge (server + WASM + CSS via cargo-leptos) and the Odoo simulator.
build: tools
	cargo leptos build --release --precompress
	cargo build --release -p odoo-sim

# A local PostgreSQL 127.0.0.1-only for the store tests (Debian package, pg_ctlcluster; no systemd).
postgres:
	@scripts/postgres.sh

unit: build
unit: postgres
	cargo test --release -p login-bridge -p odoo-sim -p app

e2e: build
	cd end2end && npx playwright test

test: unit e2e

demo: build
	scripts/demo.sh

# Performance figures (README "Performance"): real binaries on 127.0.0.1, wrk, criterion,
# Chromium and RSS; one JSON per measurement in target/bench/ and a summary table. About 4 minutes
# with the 60 s load test (LOAD_SECONDS; BENCH_ONLY="page tokeninfo …" runs a subset).
.PHONY: bench
bench: build
	scripts/bench/run.sh

clean:
	cargo clean
	rm -rf end2end/test-results end2end/playwright-report .demo

# Fuzz the request and config parsers (fuzz/, a cargo-fuzz project outside the workspace) for
# FUZZ_SECONDS per target. Works on the stable toolchain: `--sanitizer none` needs no nightly
# flag (AddressSanitizer would need -Zsanitizer, i.e. nightly; the parsers are safe Rust, so
# libFuzzer's coverage plus debug assertions is what finds their bugs). New inputs go to the
# git-ignored fuzz/corpus/<target>; the tracked seeds in fuzz/seeds/<target> are only read.
# A crash stops the run and leaves the input in fuzz/artifacts/<target>/.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= odoo_authorize return_to callback_query odoo_state email_domain accept_language config_toml
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cargo fuzz build --sanitizer none --debug-assertions
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target && \
		echo "== fuzz $$target for $(FUZZ_SECONDS) s" && \
		cargo fuzz run --sanitizer none --debug-assertions $$target fuzz/corpus/$$target fuzz/seeds/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 || exit 1; \
	done
