#!/usr/bin/env bash
# Installs what `make demo` and `make test` need, only when it is missing or the wrong version.
# Everything comes from the package registries (Debian, crates, npm); nothing is downloaded otherwise.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10     # 0.3.11 needs rustc 1.96 (see shared TOOLCHAIN notes)
WASM_BINDGEN_VERSION=0.2.129    # must equal the wasm-bindgen crate pinned in Cargo.toml
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v node >/dev/null 2>&1 || apt_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
command -v cc >/dev/null 2>&1 || apt_missing+=(build-essential)
command -v curl >/dev/null 2>&1 || apt_missing+=(curl)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}\$"; then
  say "cargo install cargo-leptos ${CARGO_LEPTOS_VERSION} (about 20 minutes on 2 cores, once)"
  # no_downloads: a missing external tool fails fast instead of trying to fetch a binary.
  cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  say "cargo install wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about 9 minutes, once)"
  cargo install wasm-bindgen-cli --version "=${WASM_BINDGEN_VERSION}" --locked
fi

# npm: the dev OpenID provider, Playwright and wasm-opt (binaryen; Debian's is too old).
if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "npm ci (end2end)"
  (cd end2end && npm ci --no-audit --no-fund)
fi
