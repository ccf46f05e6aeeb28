// The bridge's own pages in a real browser, through the real dev IdP: /account (identities,
// sign out everywhere, which must end the person's Odoo session on another device) and /admin
// (for the admin email of fixtures/bridge.toml only).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { BRIDGE, IDP, odooSession, signInAtIdp, waitForProvider } from "./helpers";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

/** A fresh browser profile (its own cookies: another device). */
async function device(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("account page: sign in through the provider, see the identity, sign out everywhere", async ({ browser }) => {
  // Alice works in Odoo on one device...
  const laptop = await device(browser);
  await laptop.goto(`${BRIDGE}/?odoo=acme`);
  await laptop.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(laptop, "alice@example.com");
  expect(await odooSession(laptop.request)).toEqual({ uid: 6, username: "alice@example.com" });

  // ...and opens her account page on another.
  const phone = await device(browser);
  await phone.goto(`${BRIDGE}/account?odoo=acme`);
  await expect(phone).toHaveURL(`${BRIDGE}/account/signin?odoo=acme`);
  await phone.getByRole("link", { name: "Sign in with Dev IdP" }).click();
  await expect(phone).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await signInAtIdp(phone, "alice@example.com");
  await expect(phone).toHaveURL(`${BRIDGE}/account?odoo=acme`);
  await expect(phone.getByRole("heading", { name: "Linked identities" })).toBeVisible();
  const identities = phone.locator("section", { has: phone.getByRole("heading", { name: "Linked identities" }) });
  await expect(identities.getByRole("cell", { name: /Dev IdP/ })).toBeVisible();
  await expect(identities.getByRole("cell", { name: "alice@example.com" })).toBeVisible();

  await phone.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(phone.getByRole("status")).toContainText("Every Odoo session of yours has ended");
  // The laptop's Odoo session is gone.
  expect(await odooSession(laptop.request)).toBeNull();

  // Signing out of the page itself: it asks to sign in again.
  await phone.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(phone).toHaveURL(`${BRIDGE}/account/signin?odoo=acme`);
});

test("admin dashboard: alice (configured admin) sees it, bob is refused", async ({ browser }) => {
  const bob = await device(browser);
  await bob.goto(`${BRIDGE}/admin`);
  await expect(bob).toHaveURL(`${BRIDGE}/admin/signin`);
  await bob.getByRole("link", { name: "Sign in with Dev IdP" }).click();
  await signInAtIdp(bob, "bob@example.com");
  await expect(bob.getByRole("heading", { name: "Not an administrator" })).toBeVisible();

  const alice = await device(browser);
  const response = await alice.goto(`${BRIDGE}/admin`);
  expect(response?.status()).toBe(200);
  await alice.getByRole("link", { name: "Sign in with Dev IdP" }).click();
  await signInAtIdp(alice, "alice@example.com");
  await expect(alice).toHaveURL(`${BRIDGE}/admin`);
  await expect(alice.getByRole("heading", { name: "Login Bridge dashboard" })).toBeVisible();
  // The health table names the provider (the recent logins below name it too).
  const health = alice.locator('section[aria-labelledby="health"]');
  await expect(health.getByRole("row", { name: /Dev IdP devidp ready/ })).toBeVisible();
  // Two charts, drawn without script, each with its accessible name.
  await expect(alice.locator("svg.lb-chart")).toHaveCount(2);
  await expect(alice.getByRole("img", { name: /Logins in the last 24 hours/ })).toBeVisible();
  await alice.getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(alice).toHaveURL(`${BRIDGE}/admin/audit`);
  await expect(alice.getByRole("search")).toBeVisible();
});
