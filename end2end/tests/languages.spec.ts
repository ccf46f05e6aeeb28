// The bridge speaks the person's language: the provider page and the error pages in each of the
// seven languages, read from server/locales (not copied here), and the order of the hints:
// Odoo's language, then the browser's, then ?lang=, then English; a flow keeps its language.
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  BRIDGE,
  BROWSER_LOCALE,
  LANGUAGES,
  ODOO,
  expectHydrated,
  message,
  odooSession,
  signInAtIdp,
  waitForProvider,
} from "./helpers";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

async function pageIn(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  return context.newPage();
}

test("the catalogs are read from server/locales: a few English texts as a sanity check", () => {
  expect(message("en", "page-heading")).toBe("Sign in");
  expect(message("en", "continue-with", { provider: "Dev IdP" })).toBe("Continue with Dev IdP");
  expect(message("en", "password-login")).toBe("Sign in with a password instead");
  expect(message("en", "error-expired-title")).toBe("Your sign-in expired");
  expect(message("en", "error-cancelled-title")).toBe("Sign-in was cancelled");
  expect(message("en", "odoo-error-3-title")).toBe("No access to this Odoo database");
  // Every language really differs from English where it matters.
  for (const lang of LANGUAGES.slice(1)) {
    expect(message(lang, "continue-with", { provider: "Dev IdP" }), lang).not.toBe("Continue with Dev IdP");
    expect(message(lang, "error-expired-title"), lang).not.toBe("Your sign-in expired");
  }
});

for (const lang of LANGUAGES) {
  test(`a browser in ${BROWSER_LOCALE[lang]} gets the provider page and the error pages in "${lang}"`, async ({ browser }) => {
    const page = await pageIn(browser, BROWSER_LOCALE[lang]);
    await page.goto(`${BRIDGE}/?odoo=acme`);
    await expectHydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(message(lang, "page-heading"));
    await expect(page).toHaveTitle(`${message(lang, "page-title")} · Acme Corp`);
    const button = page.locator("a.lb-provider[data-provider=devidp]");
    await expect(button).toHaveText(message(lang, "continue-with", { provider: "Dev IdP" }));
    // The rest of the journey stays in this language.
    await expect(button).toHaveAttribute("href", `/login/devidp?odoo=acme&lang=${lang}`);
    await expect(page.locator(".lb-alt a")).toHaveText(message(lang, "password-login"));
    await expect(page.locator(".lb-alt a")).toHaveAttribute("href", `${ODOO}/web/login`);
    await expect(page.locator("form.lb-email label")).toHaveText(message(lang, "email-label"));
    await expect(page.locator("form.lb-email button")).toHaveText(message(lang, "email-submit"));
    await expect(page.locator("img.lb-logo")).toHaveAttribute("alt", message(lang, "logo-alt", { odoo: "Acme Corp" }));

    // A plain HTML error page (no JavaScript) in the same language.
    const response = await page.goto(`${BRIDGE}/callback/devidp?state=x&code=y`);
    expect(response?.status()).toBe(400);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(message(lang, "error-expired-title"));
    await expect(page.locator(".lb-detail")).toHaveText(message(lang, "error-expired-detail"));
    const tryAgain = page.locator(".lb-actions a.lb-button.lb-primary");
    await expect(tryAgain).toHaveText(message(lang, "try-again"));
    await expect(tryAgain).toHaveAttribute("href", `/?odoo=acme&lang=${lang}`);
    const back = page.locator(".lb-actions a.lb-button:not(.lb-primary)");
    await expect(back).toHaveText(message(lang, "back-to-odoo"));
    await expect(back).toHaveAttribute("href", `${ODOO}/web/login`);
    await expect(page.locator(".lb-correlation")).toContainText(message(lang, "reference"));
    await expect(page.locator(".lb-correlation code")).not.toBeEmpty();

    // And "page not found", the problem page of a link naming an unknown Odoo, and what Odoo reported.
    expect((await page.goto(`${BRIDGE}/nope`))?.status()).toBe(404);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(message(lang, "page-not-found-title"));
    expect((await page.goto(`${BRIDGE}/?odoo=nope`))?.status()).toBe(404);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(message(lang, "error-unknown-odoo-title"));
    await page.goto(`${BRIDGE}/?odoo=acme&oauth_error=3`);
    await expect(page.locator(".lb-notice[role=alert] h2")).toHaveText(message(lang, "odoo-error-3-title"));
    await page.context().close();
  });
}

test("Odoo's language beats the browser's: odoo_lang=de_DE in a French browser gives German", async ({ browser }) => {
  const page = await pageIn(browser, "fr-FR");
  await page.goto(`${BRIDGE}/embed?odoo=acme&odoo_lang=de_DE`);
  await expectHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  const button = page.locator("a.lb-provider[data-provider=devidp]");
  await expect(button).toHaveText(message("de", "continue-with", { provider: "Dev IdP" }));
  await expect(button).toHaveAttribute("href", "/login/devidp?odoo=acme&lang=de");
  await expect(page.locator("form.lb-email button")).toHaveText(message("de", "email-submit"));
  await page.context().close();
});

test("?lang=es applies when the browser's languages are not supported", async ({ browser }) => {
  const page = await pageIn(browser, "ja-JP");
  await page.goto(`${BRIDGE}/?odoo=acme&lang=es`);
  await expectHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(message("es", "page-heading"));
  await expect(page.locator("a.lb-provider[data-provider=devidp]")).toHaveText(message("es", "continue-with", { provider: "Dev IdP" }));
  await page.context().close();
});

test("English when nothing else applies (a Japanese browser, no lang)", async ({ browser }) => {
  const page = await pageIn(browser, "ja-JP");
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.getByRole("link", { name: "Continue with Dev IdP" })).toHaveAttribute("href", "/login/devidp?odoo=acme&lang=en");
  await expect(page.getByRole("link", { name: "Sign in with a password instead" })).toBeVisible();
  expect((await page.goto(`${BRIDGE}/callback/devidp?state=x&code=y`))?.status()).toBe(400);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your sign-in expired");
  await page.context().close();
});

test("a flow started on an Italian page ends in Italian: cancelled at the IdP (Japanese browser)", async ({ browser }) => {
  const page = await pageIn(browser, "ja-JP");
  await page.goto(`${BRIDGE}/?odoo=acme&lang=it`);
  await expectHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await page.getByRole("link", { name: message("it", "continue-with", { provider: "Dev IdP" }) }).click();
  const callback = page.waitForResponse((r) => r.url().startsWith(`${BRIDGE}/callback/devidp`));
  await signInAtIdp(page, "alice@example.com", "Deny");
  expect((await callback).status()).toBe(403);
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(message("it", "error-cancelled-title"));
  await expect(page.locator(".lb-detail")).toHaveText(message("it", "error-cancelled-detail", { provider: "Dev IdP" }));
  await expect(page.locator(".lb-actions a.lb-primary")).toHaveAttribute("href", "/?odoo=acme&lang=it");
  expect(await odooSession(page.request)).toBeNull();
  await page.context().close();
});

test("the flow's language beats the browser's: Odoo said it_IT, the English browser still ends in Italian", async ({ browser }) => {
  const page = await pageIn(browser, "en-US");
  await page.goto(`${BRIDGE}/?odoo=acme&odoo_lang=it_IT`);
  await expectHydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await page.getByRole("link", { name: message("it", "continue-with", { provider: "Dev IdP" }) }).click();
  await signInAtIdp(page, "alice@example.com", "Deny");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(message("it", "error-cancelled-title"));
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  expect(await odooSession(page.request)).toBeNull();
  await page.context().close();
});
