// Shared steps of the browser tests: the servers' addresses, the IdP pages, Odoo's session, the
// bridge's message catalogs (server/locales) and the axe check.
// Tests must prove a login by asking the (simulated) Odoo who is logged in, never by URL alone.
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Frame, type FrameLocator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BRIDGE = "http://127.0.0.1:3100";
export const ODOO = "http://127.0.0.1:8169";
export const IDP = "http://127.0.0.1:9100";

/** Waits until the bridge has discovered the dev IdP (it retries with back-off at start). */
export async function waitForProvider(request: APIRequestContext) {
  await expect
    .poll(
      async () => {
        const response = await request.get(`${BRIDGE}/readyz`);
        const body = await response.json();
        return body?.providers?.devidp?.status;
      },
      { timeout: 30_000 },
    )
    .toBe("ok");
}

/** Signs in at the dev IdP's own login page and answers its consent page. */
export async function signInAtIdp(page: Page, email: string, decision: "Allow" | "Deny" = "Allow") {
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: decision }).click();
}

/** Who Odoo says is logged in for this browser context, or null. */
export async function odooSession(request: APIRequestContext): Promise<{ uid: number; username: string } | null> {
  const response = await request.post(`${ODOO}/web/session/get_session_info`, {
    data: { jsonrpc: "2.0", method: "call", params: {}, id: 1 },
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  if (body.error) {
    expect(body.error.code).toBe(100); // "Odoo Session Expired": nobody logged in
    return null;
  }
  return { uid: body.result.uid, username: body.result.username };
}

// ---------------------------------------------------------------------------------------------
// Issue 5: embed, languages, accessibility, no-JS and screenshots.

/** The second bridge: all six provider kinds, none of them reachable (fixtures/six-kinds.toml). */
export const SIX = "http://127.0.0.1:3200";

/** The languages the bridge speaks, English (the fallback) first; a browser locale for each. */
export const LANGUAGES = ["en", "fr", "de", "es", "nl", "it", "pt"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const BROWSER_LOCALE: Record<Lang, string> = {
  en: "en-US",
  fr: "fr-FR",
  de: "de-DE",
  es: "es-ES",
  nl: "nl-NL",
  it: "it-IT",
  pt: "pt-PT",
};

const LOCALES_DIR = fileURLToPath(new URL("../../server/locales/", import.meta.url));
const catalogs = new Map<string, Map<string, string>>();

/** The messages of server/locales/{lang}/main.ftl: one `id = text` per line, comments skipped. */
export function catalog(lang: string): Map<string, string> {
  let messages = catalogs.get(lang);
  if (!messages) {
    messages = new Map();
    for (const line of readFileSync(`${LOCALES_DIR}${lang}/main.ftl`, "utf8").split("\n")) {
      if (line.startsWith("#") || !line.trim()) continue;
      const at = line.indexOf(" = ");
      if (at > 0) messages.set(line.slice(0, at).trim(), line.slice(at + 3).trim());
    }
    catalogs.set(lang, messages);
  }
  return messages;
}

/** What the bridge shows for message `id` in `lang`, with `{ $var }` filled in (as Fluent does). */
export function message(lang: string, id: string, vars: Record<string, string> = {}): string {
  const text = catalog(lang).get(id);
  if (text === undefined) throw new Error(`no message ${id} in ${lang}/main.ftl`);
  return text.replace(/\{\s*\$([a-z_-]+)\s*\}/gi, (_, name: string) => {
    if (!(name in vars)) throw new Error(`message ${lang}/${id} needs { $${name} }`);
    return vars[name];
  });
}

/** Waits until the page's WASM has hydrated the provider page (or embed page). */
export async function expectHydrated(page: Page | FrameLocator) {
  await expect(page.locator("main[data-hydrated=true]")).toBeVisible();
}

/** Runs axe with the WCAG 2.0–2.2 A/AA rules and fails listing every violation and its targets. */
export async function expectNoAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const found = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.replace(/\s+/g, " ")}`),
  }));
  expect(found, `axe violations on ${what}:\n${JSON.stringify(found, null, 2)}`).toEqual([]);
}

/** The page's own horizontal overflow: a phone user would have to scroll sideways. */
export async function horizontalOverflow(target: Page | Frame): Promise<number> {
  return target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
