// The provider page with all six kinds configured and no provider reachable: six branded
// buttons; the ones that need discovery say they are unavailable, the rest stay usable.
import { expect, test } from "@playwright/test";

const SIX = "http://127.0.0.1:3200";

test("a config with all six kinds shows six branded buttons, unreachable ones marked unavailable", async ({ page }, testInfo) => {
  await page.goto(`${SIX}/?odoo=acme`);
  await expect(page.locator("main[data-hydrated=true]")).toBeVisible();
  const buttons = page.locator(".lb-providers [data-provider]");
  await expect(buttons).toHaveCount(6);
  await expect(buttons.locator(".lb-label")).toHaveText([
    "Continue with Google",
    "Continue with Microsoft",
    "Continue with GitHub",
    "Continue with Facebook",
    "Continue with GitLab",
    "Continue with Acme SSO",
  ]);
  for (const kind of ["google", "microsoft", "github", "facebook", "gitlab", "oidc"]) {
    const button = page.locator(`.lb-provider-${kind}`);
    await expect(button).toHaveCount(1);
    await expect(button.locator("svg.lb-icon")).toHaveCount(1);
  }
  // Plain OAuth kinds need no discovery: they are links that start a login.
  await expect(page.getByRole("link", { name: "Continue with GitHub" })).toHaveAttribute("href", "/login/github?odoo=acme&lang=en");
  await expect(page.getByRole("link", { name: "Continue with Facebook" })).toHaveAttribute("href", "/login/facebook?odoo=acme&lang=en");
  // Discovery kinds cannot be reached: shown, not clickable, with a reason.
  for (const id of ["google", "microsoft", "gitlab", "keycloak"]) {
    const button = page.locator(`[data-provider=${id}]`);
    await expect(button).toHaveAttribute("aria-disabled", "true");
    await expect(button.locator(".lb-reason")).not.toBeEmpty();
  }
  await page.screenshot({ path: testInfo.outputPath("six-providers.png"), fullPage: true });
});

test("starting a login at a provider that cannot be discovered answers 503 with a clear page", async ({ request }) => {
  const response = await request.get(`${SIX}/login/google?odoo=acme`, { maxRedirects: 0 });
  expect(response.status()).toBe(503);
  expect(await response.text()).toContain("Sign-in provider unavailable");
});

test("readyz reports each provider's state without failing the bridge", async ({ request }) => {
  const response = await request.get(`${SIX}/readyz`);
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(Object.keys(body.providers).sort()).toEqual(["facebook", "github", "gitlab", "google", "keycloak", "microsoft"]);
  expect(body.providers.github.status).toBe("ok");
  expect(["down", "starting"]).toContain(body.providers.google.status);
});
