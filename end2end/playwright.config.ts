// Browser tests against the real stack: dev OpenID provider, Odoo simulator and the bridge.
// Debian's Chromium only (never a downloaded browser); every server listens on 127.0.0.1.
import { defineConfig } from "@playwright/test";

const root = "..";
const secrets = {
  E2E_ODOO_API_KEY: "sim-admin-api-key",
  E2E_IDP_CLIENT_SECRET: "e2e-client-secret",
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      command: "node idp/server.mjs",
      url: "http://127.0.0.1:9100/.well-known/openid-configuration",
      env: {
        IDP_PORT: "9100",
        IDP_CLIENT_SECRET: secrets.E2E_IDP_CLIENT_SECRET,
        IDP_REDIRECT_URIS: "http://127.0.0.1:3100/callback/devidp",
      },
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `${root}/target/release/odoo-sim --seed fixtures/odoo-seed-embed.json --listen 127.0.0.1:8169`,
      url: "http://127.0.0.1:8169/web/login",
      reuseExistingServer: false,
      stderr: "pipe",
    },
    {
      command: `rm -f ${root}/target/e2e/bridge.db* && exec ${root}/target/release/login-bridge serve --config fixtures/bridge.toml`,
      url: "http://127.0.0.1:3100/healthz",
      env: { ...secrets, LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? `${root}/target/site` },
      reuseExistingServer: false,
      stderr: "pipe",
    },
    {
      command: `rm -f ${root}/target/e2e/six-kinds.db* && exec ${root}/target/release/login-bridge serve --config fixtures/six-kinds.toml`,
      url: "http://127.0.0.1:3200/healthz",
      env: { ...secrets, LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? `${root}/target/site`, LOGIN_BRIDGE_LOG: "error" },
      reuseExistingServer: false,
      stderr: "pipe",
    },
  ],
});
