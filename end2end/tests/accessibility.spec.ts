// Everyone can use the sign-in pages: axe (WCAG 2.0–2.2 A/AA) finds nothing on any of them, in
// light and dark, on a phone too; the keyboard reaches everything in order with a visible focus;
// what the hydrated page says (busy provider, "Last used", email errors) reaches screen readers.
import { expect, test, type Page } from "@playwright/test";
import {
  BRIDGE,
  IDP,
  ODOO,
  SIX,
  expectHydrated,
  expectNoAxeViolations,
  message,
  odooSession,
  signInAtIdp,
  waitForProvider,
} from "./helpers";

const LAST_PROVIDER_KEY = "login-bridge:last-provider";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

/** One state of one page, opened and checked to be what we mean to scan. */
interface Scene {
  name: string;
  /** The page keeps its light palette whatever the system prefers (the embed inside Odoo). */
  alwaysLight?: boolean;
  open(page: Page): Promise<void>;
}

const scenes: Scene[] = [
  {
    name: "provider page",
    async open(page) {
      await page.goto(`${BRIDGE}/?odoo=acme`);
      await expectHydrated(page);
      await expect(page.getByRole("link", { name: "Continue with Dev IdP" })).toBeVisible();
    },
  },
  {
    name: "embed page",
    alwaysLight: true,
    async open(page) {
      await page.goto(`${BRIDGE}/embed?odoo=acme`);
      await expectHydrated(page);
      await expect(page.getByRole("link", { name: "Continue with Dev IdP" })).toBeVisible();
    },
  },
  {
    name: "Odoo's oauth_error=3 notice",
    async open(page) {
      await page.goto(`${BRIDGE}/?odoo=acme&oauth_error=3`);
      await expectHydrated(page);
      await expect(page.locator(".lb-notice[role=alert] h2")).toHaveText("No access to this Odoo database");
    },
  },
  {
    name: "email sent back for an unknown domain (no-JS path)",
    async open(page) {
      await page.goto(`${BRIDGE}/?odoo=acme&email_problem=unknown.org`);
      await expectHydrated(page);
      await expect(page.locator(".lb-notice")).toContainText("unknown.org");
    },
  },
  {
    name: "inline email error",
    async open(page) {
      await page.goto(`${BRIDGE}/?odoo=acme`);
      await expectHydrated(page);
      await page.getByLabel("Work email").fill("nonsense");
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.locator("#lb-email-error")).toHaveText("Enter an email address such as name@example.com.");
    },
  },
  {
    name: "six kinds, unavailable buttons",
    async open(page) {
      await page.goto(`${SIX}/?odoo=acme`);
      await expectHydrated(page);
      await expect(page.locator(".lb-providers [data-provider]")).toHaveCount(6);
      await expect(page.locator("[data-provider=google] .lb-reason")).not.toBeEmpty();
    },
  },
  {
    name: "six kinds with the Last used badge",
    async open(page) {
      await page.goto(`${SIX}/?odoo=acme`);
      await page.evaluate(([key]) => localStorage.setItem(key, "facebook"), [LAST_PROVIDER_KEY]);
      await page.reload();
      await expectHydrated(page);
      await expect(page.locator("[data-provider=facebook] .lb-badge")).toBeVisible();
    },
  },
  {
    name: "error page: sign-in expired",
    async open(page) {
      expect((await page.goto(`${BRIDGE}/callback/devidp?state=x&code=y`))?.status()).toBe(400);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your sign-in expired");
    },
  },
  {
    name: "error page: page not found",
    async open(page) {
      expect((await page.goto(`${BRIDGE}/nope`))?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    },
  },
  {
    name: "problem page: unknown Odoo",
    async open(page) {
      expect((await page.goto(`${BRIDGE}/?odoo=nope`))?.status()).toBe(404);
      // Plain server HTML: a problem page has no island, so nothing hydrates.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(message("en", "error-unknown-odoo-title"));
    },
  },
  {
    name: "error page: sign-in cancelled",
    async open(page) {
      await page.goto(`${BRIDGE}/?odoo=acme`);
      await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
      await signInAtIdp(page, "alice@example.com", "Deny");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign-in was cancelled");
    },
  },
];

/** The dark palette really is in use (or, for the embed, really is not), so the scan checks it. */
async function expectPalette(page: Page, scheme: "light" | "dark", scene: Scene) {
  const dark = scheme === "dark" && !scene.alwaysLight;
  const text = await page.locator("body").evaluate((el) => getComputedStyle(el).color);
  expect(text, `body text colour in ${scheme} mode`).toBe(dark ? "rgb(230, 237, 243)" : "rgb(31, 35, 40)");
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`axe, ${colorScheme}`, () => {
    test.use({ colorScheme });
    for (const scene of scenes) {
      test(`no WCAG A/AA violations: ${scene.name} (${colorScheme})`, async ({ page }) => {
        await scene.open(page);
        await expectPalette(page, colorScheme, scene);
        await expectNoAxeViolations(page, `${scene.name} (${colorScheme})`);
      });
    }
    test.describe("on a phone", () => {
      test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      for (const scene of scenes.filter((s) => ["provider page", "inline email error", "error page: sign-in expired"].includes(s.name))) {
        test(`no WCAG A/AA violations on a 390x844 phone: ${scene.name} (${colorScheme})`, async ({ page }) => {
          await scene.open(page);
          await expectPalette(page, colorScheme, scene);
          await expectNoAxeViolations(page, `${scene.name}, phone (${colorScheme})`);
        });
      }
    });
  });
}

test("the keyboard reaches email, Continue, the provider and the password link in order, each visibly focused", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  const stops = [
    page.getByLabel("Work email"),
    page.getByRole("button", { name: "Continue", exact: true }),
    page.getByRole("link", { name: "Continue with Dev IdP" }),
    page.getByRole("link", { name: "Sign in with a password instead" }),
  ];
  for (const stop of stops) {
    await page.keyboard.press("Tab");
    await expect(stop).toBeFocused();
    const focus = await stop.evaluate((el) => ({
      visible: el.matches(":focus-visible"),
      style: getComputedStyle(el).outlineStyle,
      width: parseFloat(getComputedStyle(el).outlineWidth),
    }));
    expect(focus.visible).toBe(true);
    expect(focus.style).not.toBe("none");
    expect(focus.width).toBeGreaterThanOrEqual(2);
  }
  // Back to the provider, and Enter starts the login.
  await page.keyboard.press("Shift+Tab");
  await expect(stops[2]).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
});

test("a followed provider says it is opening (aria-busy, live region) and the others step back", async ({ page }) => {
  // GitHub's start answers 204 here, so the browser stays on the page and it can be looked at.
  const starts: string[] = [];
  await page.route(`${SIX}/login/**`, (route) => {
    starts.push(route.request().url());
    return route.fulfill({ status: 204 });
  });
  await page.goto(`${SIX}/?odoo=acme`);
  await expectHydrated(page);
  const github = page.locator("a[data-provider=github]");
  await expect(github).toHaveAttribute("aria-busy", "false");
  await github.click();
  await expect(github).toHaveAttribute("aria-busy", "true");
  await expect(github).toHaveClass(/\bis-busy\b/);
  await expect(page.locator("a[data-provider=facebook]")).toHaveClass(/\bis-idle\b/);
  await expect(page.locator("a[data-provider=facebook]")).toHaveAttribute("aria-busy", "false");
  await expect(page.locator(".lb-live[role=status]")).toHaveText(message("en", "provider-busy", { provider: "GitHub" }));
  expect(await page.evaluate((key) => localStorage.getItem(key), LAST_PROVIDER_KEY)).toBe("github");
  // An impatient second click, or Enter on another provider, starts nothing more.
  await github.click();
  await page.locator("a[data-provider=facebook]").focus();
  await page.keyboard.press("Enter");
  await expect(page.locator(".lb-live[role=status]")).toHaveText(message("en", "provider-busy", { provider: "GitHub" }));
  expect(starts).toEqual([`${SIX}/login/github?odoo=acme&lang=en`]);
});

test("the provider used last is listed first with a Last used badge that is part of its name", async ({ page }) => {
  await page.goto(`${SIX}/?odoo=acme`);
  await expectHydrated(page);
  await expect(page.locator(".lb-badge")).toHaveCount(0);
  await page.evaluate((key) => localStorage.setItem(key, "facebook"), LAST_PROVIDER_KEY);
  await page.reload();
  await expectHydrated(page);
  const first = page.locator(".lb-providers [data-provider]").first();
  await expect(first).toHaveAttribute("data-provider", "facebook");
  await expect(first.locator(".lb-badge")).toHaveText(message("en", "last-used"));
  await expect(page.locator(".lb-badge")).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Continue with Facebook Last used" })).toBeVisible();
  // The rest keep the configured order.
  const order = await page.locator(".lb-providers [data-provider]").evaluateAll((els) => els.map((el) => el.getAttribute("data-provider")));
  expect(order).toEqual(["facebook", "google", "microsoft", "github", "gitlab", "keycloak"]);
});

test("following a provider remembers it for the next visit in this browser", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  await expect(page.locator(".lb-badge")).toHaveCount(0);
  await page.getByRole("link", { name: "Continue with Dev IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  await expect(page.locator("a[data-provider=devidp] .lb-badge")).toHaveText("Last used");
  // A remembered provider this page does not offer changes nothing.
  await page.evaluate((key) => localStorage.setItem(key, "nope"), LAST_PROVIDER_KEY);
  await page.reload();
  await expectHydrated(page);
  await expect(page.locator(".lb-badge")).toHaveCount(0);
});

test("typing alice's work email goes straight to her IdP, pre-filled, and signs her in to Odoo", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  await page.getByLabel("Work email").fill("alice@example.com");
  const toIdp = page.waitForRequest((r) => r.url().startsWith(`${IDP}/auth`) && r.isNavigationRequest());
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  expect((await toIdp).url()).toContain("login_hint=alice%40example.com");
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await expect(page.getByLabel("Email")).toHaveValue("alice@example.com");
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("a wrong or unknown email is announced next to the field and the page stays", async ({ page }) => {
  await page.goto(`${BRIDGE}/?odoo=acme`);
  await expectHydrated(page);
  const input = page.getByLabel("Work email");
  const error = page.locator("#lb-email-error[role=alert]");
  await expect(input).toHaveAttribute("aria-invalid", "false");
  await expect(input).toHaveAttribute("aria-describedby", /\blb-email-error\b/);

  await input.fill("x@unknown.org");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(error).toHaveText(message("en", "email-unknown-domain", { domain: "unknown.org" }));
  await expect(error).toContainText("unknown.org");
  await expect(error).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(`${BRIDGE}/?odoo=acme`);

  await input.fill("nonsense");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(error).toHaveText("Enter an email address such as name@example.com.");
  await expect(page).toHaveURL(`${BRIDGE}/?odoo=acme`);
});
