// Shared steps of the browser tests: the three servers' addresses, the IdP pages, Odoo's session.
// Tests must prove a login by asking the (simulated) Odoo who is logged in, never by URL alone.
import { expect, type APIRequestContext, type Page } from "@playwright/test";

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
