// What an operator sees after real browser logins: /metrics counts them by provider and outcome
// (and times them), and `login-bridge audit` — the CLI, run against the same config and store as
// the e2e bridge — lists who signed in or was refused, why, from where, with the page's reference.
// Counters are compared before and after, so other specs running first do not matter.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BRIDGE, odooSession, signInAtIdp, waitForProvider } from "./helpers";

const END2END = fileURLToPath(new URL("..", import.meta.url));
const BIN = fileURLToPath(new URL("../../target/release/login-bridge", import.meta.url));

/** `login-bridge --config fixtures/bridge.toml audit ARGS…` with the e2e secrets; stdout. */
function auditCli(args: string[]): string {
  return execFileSync(BIN, ["--config", "fixtures/bridge.toml", "audit", ...args], {
    cwd: END2END,
    env: {
      PATH: process.env.PATH ?? "",
      E2E_ODOO_API_KEY: "sim-admin-api-key",
      E2E_IDP_CLIENT_SECRET: "e2e-client-secret",
      LOGIN_BRIDGE_LOG: "error",
    },
    encoding: "utf8",
  });
}

type AuditRow = Record<string, string | number | null>;

async function scrape(request: APIRequestContext): Promise<string> {
  const response = await request.get(`${BRIDGE}/metrics`);
  expect(response.status(), "/metrics from 127.0.0.1 (loopback is allowed by default)").toBe(200);
  return response.text();
}

/** The value of one series (`name{labels}`), 0 when absent. */
function sample(scrape: string, series: string): number {
  const line = scrape.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1).split(" ")[0]) : 0;
}

/** The sum over every series of `name` whose labels include `label`. */
function sumOf(scrape: string, name: string, label: string): number {
  return scrape
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(label))
    .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
}

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

test("a login and a refusal in the browser show in /metrics and in `login-bridge audit`", async ({ page, browser, request }) => {
  const logins = 'login_bridge_logins_total{provider="devidp",odoo="acme",outcome=';
  const flows = 'login_bridge_flow_duration_seconds_count{provider="devidp"}';
  const tokensOk = 'login_bridge_tokeninfo_requests_total{result="ok"}';
  const before = await scrape(request);
  // Same clock as the bridge (127.0.0.1), to the millisecond: only this test's rows.
  const since = new Date().toISOString();

  // Alice signs in to Odoo.
  await page.goto(`${BRIDGE}/?odoo=acme&return_to=/odoo/sales`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });

  // Carol has no Odoo account: refused, with a reference on the page.
  const context = await browser.newContext();
  const carol = await context.newPage();
  await carol.goto(`${BRIDGE}/?odoo=acme`);
  await carol.getByRole("link", { name: "Continue with Dev IdP" }).click();
  const callback = carol.waitForResponse((r) => r.url().startsWith(`${BRIDGE}/callback/devidp`));
  await signInAtIdp(carol, "carol@example.com");
  expect((await callback).status()).toBe(403);
  const reference = (await carol.locator(".lb-correlation code").textContent())?.trim() ?? "";
  expect(reference).toMatch(/^[A-Za-z0-9]{12}$/);
  await context.close();

  const after = await scrape(request);
  expect(sample(after, `${logins}"success"}`) - sample(before, `${logins}"success"}`)).toBe(1);
  expect(sample(after, `${logins}"refused"}`) - sample(before, `${logins}"refused"}`)).toBe(1);
  expect(sample(after, flows) - sample(before, flows)).toBe(2);
  expect(sample(after, tokensOk) - sample(before, tokensOk)).toBe(1);
  expect(sumOf(after, "login_bridge_odoo_request_duration_seconds_count", 'odoo="acme"')).toBeGreaterThan(sumOf(before, "login_bridge_odoo_request_duration_seconds_count", 'odoo="acme"'));

  // The audit log, newest first: Carol's refusal, then Alice's login.
  const rows = JSON.parse(auditCli(["--json", "--since", since])) as AuditRow[];
  expect(rows.map((r) => [r.kind, r.outcome, r.email])).toEqual([
    ["login", "refused", "carol@example.com"],
    ["login", "success", "alice@example.com"],
  ]);
  const [refused, success] = rows;
  expect(refused).toMatchObject({ provider_id: "devidp", odoo_id: "acme", ip: "127.0.0.1", correlation_id: reference, odoo_user_id: null });
  expect(String(refused.reason)).toMatch(/^no_account: .*carol@example\.com/);
  expect(success).toMatchObject({ provider_id: "devidp", odoo_id: "acme", ip: "127.0.0.1", odoo_user_id: 6, odoo_login: "alice@example.com", reason: null });
  expect(Number(success.duration_ms)).toBeGreaterThanOrEqual(0);

  // The table for people, filtered to Carol.
  const table = auditCli(["--since", since, "--user", "carol@example.com"]).split("\n");
  expect(table[0]).toMatch(/^TIME \(UTC\)\s+KIND\s+OUTCOME/);
  expect(table[1]).toContain("refused");
  expect(table[1]).toContain("no_account");
  expect(table.filter((l) => l.includes("alice@example.com"))).toEqual([]);
});
