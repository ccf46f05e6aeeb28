// The vertical slice, end to end in a real browser: Odoo's login page → bridge → dev IdP → Odoo.
// Every test ends by asking Odoo (get_session_info) who is logged in.
import { expect, test } from "@playwright/test";
import { BRIDGE, ODOO, odooSession, signInAtIdp, waitForProvider } from "./helpers";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

test("odoo-initiated: the button on Odoo's login page signs alice in to Odoo", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  await page.getByRole("link", { name: "Sign in with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(`${ODOO}/web`);
  await expect(page.getByText("Alice Example")).toBeVisible();
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("odoo-initiated without a provider: the person picks one on the bridge page", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  await page.getByRole("link", { name: "Sign in with SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${BRIDGE}/\\?pending=`));
  await expect(page.locator("main[data-hydrated=true]")).toBeVisible();
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(`${ODOO}/web`);
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("bridge-initiated: a link with odoo and return_to lands on that Odoo page", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme&return_to=/odoo/sales`);
  await expect(page.locator("main[data-hydrated=true]")).toBeVisible();
  await expect(page.getByText("Acme Corp", { exact: true })).toBeVisible();
  // Before the click the page says what Odoo will receive.
  await expect(page.getByText("Acme Corp receives only your name and email address from the account you choose.")).toBeVisible();
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(`${ODOO}/odoo/sales`);
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("a portal user is signed in and sent where Odoo sends portal users", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "bob@example.com");
  await expect(page).toHaveURL(`${ODOO}/web/login_successful`);
  expect(await odooSession(page.request)).toEqual({ uid: 7, username: "bob@example.com" });
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("bridge-initiated login still works with plain links and forms", async ({ page }) => {
    await page.goto(`${BRIDGE}/?odoo=acme&return_to=/odoo/discuss`);
    await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
    await signInAtIdp(page, "alice@example.com");
    await expect(page).toHaveURL(`${ODOO}/odoo/discuss`);
    expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
  });
});

test("a person with no Odoo account gets a 403 page that says so, and no Odoo session", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  const callback = page.waitForResponse((r) => r.url().startsWith(`${BRIDGE}/callback/devidp`));
  await signInAtIdp(page, "carol@example.com");
  expect((await callback).status()).toBe(403);
  await expect(page.getByRole("heading", { name: "No Odoo account" })).toBeVisible();
  await expect(page.getByText("There is no Odoo account for carol@example.com")).toBeVisible();
  await expect(page.getByText(/Reference: /)).toBeVisible();
  expect(await odooSession(page.request)).toBeNull();
});

test("an unverified email is refused even though an Odoo user has it", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await signInAtIdp(page, "dave@example.com");
  await expect(page.getByRole("heading", { name: "Email address not verified" })).toBeVisible();
  expect(await odooSession(page.request)).toBeNull();
});

test("denying consent at the IdP ends on a clear page, with no Odoo session", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  await page.getByRole("link", { name: "Sign in with Dev IdP" }).click();
  await signInAtIdp(page, "alice@example.com", "Deny");
  await expect(page.getByRole("heading", { name: "Sign-in was cancelled" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Try again" })).toBeVisible();
  expect(await odooSession(page.request)).toBeNull();
});

test("the callback only finishes in the browser that started the login (login CSRF)", async ({ page, context, browser }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await page.getByLabel("Email").fill("alice@example.com");
  await page.getByLabel("Password").fill("password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const flowCookie = (await context.cookies(BRIDGE)).find((c) => c.name === "lb_flow");
  expect(flowCookie?.httpOnly).toBe(true);
  expect(flowCookie?.sameSite).toBe("Lax");

  // Without its cookie the callback is refused, and the flow is not burnt.
  await context.clearCookies({ name: "lb_flow" });
  const refused = page.waitForResponse((r) => r.url().startsWith(`${BRIDGE}/callback/devidp`));
  await page.getByRole("button", { name: "Allow" }).click();
  const callbackUrl = (await refused).url();
  expect((await refused).status()).toBe(400);
  await expect(page.getByRole("heading", { name: "Your sign-in expired" })).toBeVisible();

  // Another browser given that URL (the login-CSRF attack) is refused too.
  const victim = await browser.newContext();
  const victimPage = await victim.newPage();
  expect((await victimPage.goto(callbackUrl))?.status()).toBe(400);
  expect(await odooSession(victimPage.request)).toBeNull();
  await victim.close();

  // The browser that started the login finishes the very same callback once its cookie is back.
  await context.addCookies([flowCookie!]);
  await page.goto(callbackUrl);
  await expect(page).toHaveURL(`${ODOO}/odoo`);
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});
