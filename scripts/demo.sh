#!/usr/bin/env bash
# Runs the whole demo stack on 127.0.0.1: dev OpenID provider, Odoo simulator and the bridge.
# Stops all three on Ctrl-C. Secrets here are demo values, passed through the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo

export ACME_ODOO_API_KEY=sim-admin-api-key
export DEVIDP_CLIENT_SECRET=demo-client-secret
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$PWD/target/site}"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

(cd end2end && IDP_PORT=9000 IDP_CLIENT_SECRET="$DEVIDP_CLIENT_SECRET" \
  IDP_REDIRECT_URIS=http://127.0.0.1:3000/callback/devidp exec node idp/server.mjs) > .demo/idp.log 2>&1 &
pids+=($!)
target/release/odoo-sim --seed demo/odoo-seed.json --listen 127.0.0.1:8069 > .demo/odoo-sim.log 2>&1 &
pids+=($!)
target/release/login-bridge serve --config demo/bridge.toml > .demo/bridge.log 2>&1 &
pids+=($!)

for url in http://127.0.0.1:9000/.well-known/openid-configuration http://127.0.0.1:8069/web/login http://127.0.0.1:3000/healthz; do
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "$url" || { echo "demo: $url did not come up; see .demo/*.log" >&2; exit 1; }
done

cat <<MSG

  Login Bridge demo is running (logs in .demo/):

    Odoo (simulator) login page  http://127.0.0.1:8069/web/login   ← start here: the bridge's buttons sit in
                                                                  a frame above the password form (the
                                                                  odoo_addon), Odoo's own buttons below it
    Bridge provider page         http://127.0.0.1:3000/?odoo=acme&return_to=/odoo/sales   (in your browser's language)
    Dev OpenID provider          http://127.0.0.1:9000

  Test accounts at the dev IdP (password: password):
    alice@example.com  internal Odoo user
    bob@example.com    portal Odoo user
    carol@example.com  no Odoo account  → "no Odoo account" page
    dave@example.com   email not verified → refused

  Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
