# `make demo` and `make test` work on a fresh Debian machine: each installs what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
export CHROMIUM_PATH ?= /usr/bin/chromium
export LEPTOS_SITE_ROOT ?= $(CURDIR)/target/site
# cargo-leptos sets this at compile time; plain `cargo test` must see the same value or it
# rebuilds Leptos with other asset names (`_bg.wasm`) and overwrites the server binary.
export LEPTOS_OUTPUT_NAME := login-bridge

.PHONY: all tools build test unit e2e demo clean

all: build

tools:
	@scripts/install-tools.sh

# The bridge (server + WASM + CSS via cargo-leptos) and the Odoo simulator.
build: tools
	cargo leptos build --release
	cargo build --release -p odoo-sim

unit: build
	cargo test --release -p login-bridge -p odoo-sim -p app

e2e: build
	cd end2end && npx playwright test

test: unit e2e

demo: build
	scripts/demo.sh

clean:
	cargo clean
	rm -rf end2end/test-results end2end/playwright-report .demo
