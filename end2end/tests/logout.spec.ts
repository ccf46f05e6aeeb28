// Logout with the real OpenID provider (oidc-provider, Back-Channel Logout on): Alice signs in
// to the Odoo simulator through the bridge in a real browser, then her session at the provider
// ends and Odoo must say nobody is logged in any more.
import { expect, test } from "@playwright/test";
import { BRIDGE, IDP, ODOO, odooSession, signInAtIdp, waitForProvider } from "./helpers";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

async function signInAsAlice(page: import("@playwright/test").Page) {
  await page.goto(`${BRIDGE}/?odoo=acme&return_to=/odoo/sales`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(`${ODOO}/odoo/sales`);
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
}

test("signing out at the provider ends the Odoo session through back-channel logout", async ({ page }) => {
  await signInAsAlice(page);
  // The provider's own end-session page, as a person would open it from another application.
  await page.goto(`${IDP}/session/end`);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Signed out" })).toBeVisible();
  // The provider has POSTed its logout token to the bridge, which ended the Odoo session.
  await expect.poll(() => odooSession(page.request), { timeout: 10_000 }).toBeNull();
  await page.goto(`${ODOO}/odoo/sales`);
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/web/login`));
});

test("the bridge's sign-out link ends the provider session, then Odoo's, and lands on Odoo's login page", async ({ page }) => {
  await signInAsAlice(page);
  await page.goto(`${BRIDGE}/logout?odoo=acme&provider=devidp`);
  await expect(page).toHaveURL(new RegExp(`^${IDP}/session/end`));
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/web/login`));
  expect(await odooSession(page.request)).toBeNull();
  // The provider session is over too: the next sign-in asks for the password again.
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await expect(page.getByLabel("Password")).toBeVisible();
});
