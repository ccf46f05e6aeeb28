// With JavaScript disabled nothing is lost that matters: the provider link, the email form (the
// server routes it by domain and answers unknown ones with a notice) and the sign-in frame on
// Odoo's login page all still end in an Odoo session.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { BRIDGE, IDP, ODOO, message, odooSession, signInAtIdp, waitForProvider } from "./helpers";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

async function pageWithoutJs(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

test("without JavaScript, the provider link on the bridge page signs alice in to Odoo", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expect(page.locator("main")).toHaveAttribute("data-hydrated", "false");
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
  await page.context().close();
});

test("without JavaScript, the email form goes to the IdP of alice's domain, pre-filled, and signs her in", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expect(page.locator("main")).toHaveAttribute("data-hydrated", "false");
  await page.getByLabel("Work email").fill("alice@example.com");
  const submitted = page.waitForRequest((r) => r.url().startsWith(`${BRIDGE}/login?`));
  const toIdp = page.waitForRequest((r) => r.url().startsWith(`${IDP}/auth`));
  await page.getByRole("button", { name: "Continue" }).click();
  const form = new URL((await submitted).url());
  expect(form.pathname).toBe("/login");
  expect(Object.fromEntries(form.searchParams)).toEqual({ odoo: "acme", lang: "en", email: "alice@example.com" });
  expect(new URL((await toIdp).url()).searchParams.get("login_hint")).toBe("alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await expect(page.getByLabel("Email")).toHaveValue("alice@example.com");
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
  await page.context().close();
});

test("without JavaScript, an unknown domain comes back to the page with a notice naming it", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByLabel("Work email").fill("x@unknown.org");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${BRIDGE}/?odoo=acme&lang=en&email_problem=unknown.org`);
  const notice = page.locator(".lb-notice");
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("unknown.org");
  await expect(notice).toContainText(message("en", "email-unknown-domain", { domain: "unknown.org" }));
  // The buttons are still there to pick from.
  await expect(page.getByRole("link", { name: "Continue with Dev IdP" })).toBeVisible();
  expect(await odooSession(page.request)).toBeNull();
  await page.context().close();
});

test("without JavaScript, something that is not an address comes back with the example to follow", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByLabel("Work email").fill("nonsense");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${BRIDGE}/?odoo=acme&lang=en&email_problem=invalid`);
  await expect(page.locator(".lb-notice")).toContainText("Enter an email address such as name@example.com.");
  await page.context().close();
});

test("without JavaScript, the embed page still targets the top window with its link and its form", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${BRIDGE}/embed?odoo=acme`);
  await expect(page.locator("main.lb-card.lb-embed")).toHaveAttribute("data-hydrated", "false");
  const link = page.getByRole("link", { name: "Continue with Dev IdP" });
  await expect(link).toHaveAttribute("target", "_top");
  await expect(link).toHaveAttribute("href", "/login/devidp?odoo=acme&lang=en");
  await expect(page.locator("form.lb-email")).toHaveAttribute("target", "_top");
  await expect(page.locator("form.lb-email")).toHaveAttribute("action", "/login");
  await expect(page.getByText("Sign in with a password instead")).toHaveCount(0);
  await page.context().close();
});

test("without JavaScript, the link inside the frame on Odoo's login page takes the whole window to the IdP and signs alice in", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${ODOO}/web/login`);
  const frame = page.frameLocator("#login_bridge_embed");
  await expect(frame.locator("main")).toHaveAttribute("data-hydrated", "false");
  await frame.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
  await page.context().close();
});

test("without JavaScript, the email form inside the frame takes the whole window to the IdP and signs alice in", async ({ browser }) => {
  const page = await pageWithoutJs(browser);
  await page.goto(`${ODOO}/web/login`);
  const frame = page.frameLocator("#login_bridge_embed");
  await frame.getByLabel("Work email").fill("alice@example.com");
  const toIdp = page.waitForRequest((r) => r.url().startsWith(`${IDP}/auth`) && r.isNavigationRequest());
  await frame.getByRole("button", { name: "Continue" }).click();
  const request = await toIdp;
  expect(request.frame()).toBe(page.mainFrame());
  expect(new URL(request.url()).searchParams.get("login_hint")).toBe("alice@example.com");
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
  await page.context().close();
});
