// What the pages look like on a desktop and on a phone, light and dark: full-page screenshots
// for people to review (end2end/artifacts/screenshots/{page}-{device}-{scheme}.png, also attached
// to the report). Each one also checks what a person would notice: the heading and the buttons
// visible and inside the screen, the Odoo's accent colour, and never a sideways scrollbar.
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { BRIDGE, ODOO, SIX, expectHydrated, horizontalOverflow, waitForProvider } from "./helpers";

const ACCENT = "rgb(11, 110, 79)"; // #0b6e4f, accent_color of acme in fixtures/bridge.toml

const devices = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

/** Saves the full page under artifacts/screenshots and attaches it to the test. */
async function snap(page: Page, testInfo: TestInfo, name: string) {
  await page.evaluate(() => document.fonts.ready);
  const dir = join(dirname(testInfo.config.configFile ?? testInfo.config.rootDir), "artifacts", "screenshots");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  const body = await page.screenshot({ path, fullPage: true, animations: "disabled" });
  await testInfo.attach(name, { body, contentType: "image/png" });
}

/** Visible, and horizontally inside the viewport (nothing cut off at the side). */
async function expectOnScreen(page: Page, locator: Locator) {
  await expect(locator).toBeVisible();
  const box = (await locator.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(box.x, "left edge inside the screen").toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, "right edge inside the screen").toBeLessThanOrEqual(width);
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await horizontalOverflow(page), "page wider than the screen").toBeLessThanOrEqual(0);
}

async function expectLogoLoaded(page: Page) {
  await expect(page.locator("img.lb-logo")).toHaveJSProperty("complete", true);
  expect(await page.locator("img.lb-logo").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
}

for (const [device, options] of Object.entries(devices)) {
  for (const scheme of ["light", "dark"] as const) {
    test.describe(`${device}, ${scheme}`, () => {
      test.use({ ...options, colorScheme: scheme });
      const variant = `${device}-${scheme}`;

      test(`screenshot: provider page (${variant})`, async ({ page }, testInfo) => {
        await page.goto(`${BRIDGE}/?odoo=acme`);
        await expectHydrated(page);
        await expectLogoLoaded(page);
        await expectOnScreen(page, page.getByRole("heading", { level: 1 }));
        await expectOnScreen(page, page.getByRole("link", { name: "Continue with Dev IdP" }));
        await expectOnScreen(page, page.getByRole("button", { name: "Continue", exact: true }));
        await expect(page.getByRole("button", { name: "Continue", exact: true })).toHaveCSS("background-color", ACCENT);
        await expect(page.locator("main.lb-card")).toHaveCSS("border-top-color", ACCENT);
        await expectNoSidewaysScroll(page);
        await snap(page, testInfo, `provider-${variant}`);
      });

      test(`screenshot: embed page (${variant})`, async ({ page }, testInfo) => {
        await page.goto(`${BRIDGE}/embed?odoo=acme`);
        await expectHydrated(page);
        await expectLogoLoaded(page);
        await expectOnScreen(page, page.getByRole("link", { name: "Continue with Dev IdP" }));
        await expectOnScreen(page, page.getByLabel("Work email"));
        await expectNoSidewaysScroll(page);
        await snap(page, testInfo, `embed-${variant}`);
      });

      test(`screenshot: Odoo's login page with the sign-in frame (${variant})`, async ({ page }, testInfo) => {
        await page.goto(`${ODOO}/web/login`);
        const frame = page.frameLocator("#login_bridge_embed");
        await expectHydrated(frame);
        // Sized by the addon's listener before the picture is taken.
        await expect
          .poll(async () => {
            const frameHeight = await page.locator("#login_bridge_embed").evaluate((el) => el.getBoundingClientRect().height);
            const cardHeight = await frame.locator("main").evaluate((el) => el.getBoundingClientRect().height);
            return Math.abs(frameHeight - cardHeight);
          })
          .toBeLessThanOrEqual(3);
        await expect(frame.locator("img.lb-logo")).toHaveJSProperty("complete", true);
        await expectOnScreen(page, page.locator("#login_bridge_embed"));
        await expectOnScreen(page, frame.getByRole("link", { name: "Continue with Dev IdP" }));
        await expectNoSidewaysScroll(page);
        const inner = page.frames().find((f) => f.url().startsWith(`${BRIDGE}/embed`))!;
        expect(await horizontalOverflow(inner), "frame content wider than the frame").toBeLessThanOrEqual(0);
        await snap(page, testInfo, `odoo-login-${variant}`);
      });

      test(`screenshot: Odoo's oauth_error=3 explained (${variant})`, async ({ page }, testInfo) => {
        await page.goto(`${BRIDGE}/?odoo=acme&oauth_error=3`);
        await expectHydrated(page);
        await expectLogoLoaded(page);
        await expectOnScreen(page, page.getByRole("heading", { level: 1 }));
        await expectOnScreen(page, page.locator(".lb-notice[role=alert]"));
        await expect(page.locator(".lb-notice h2")).toHaveText("No access to this Odoo database");
        await expectNoSidewaysScroll(page);
        await snap(page, testInfo, `oauth-error-${variant}`);
      });

      test(`screenshot: error page, sign-in expired (${variant})`, async ({ page }, testInfo) => {
        expect((await page.goto(`${BRIDGE}/callback/devidp?state=x&code=y`))?.status()).toBe(400);
        await expectOnScreen(page, page.getByRole("heading", { level: 1, name: "Your sign-in expired" }));
        await expectOnScreen(page, page.getByRole("link", { name: "Try again" }));
        await expectOnScreen(page, page.getByRole("link", { name: "Back to the Odoo login page" }));
        await expectNoSidewaysScroll(page);
        await snap(page, testInfo, `error-expired-${variant}`);
      });

      test(`screenshot: six provider kinds (${variant})`, async ({ page }, testInfo) => {
        await page.goto(`${SIX}/?odoo=acme`);
        await expectHydrated(page);
        await expectOnScreen(page, page.getByRole("heading", { level: 1 }));
        const buttons = page.locator(".lb-providers [data-provider]");
        await expect(buttons).toHaveCount(6);
        for (let i = 0; i < 6; i++) await expectOnScreen(page, buttons.nth(i));
        await expectNoSidewaysScroll(page);
        await snap(page, testInfo, `six-kinds-${variant}`);
      });
    });
  }
}
