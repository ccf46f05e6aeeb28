// The sign-in frame on Odoo's login page (the login_bridge_embed addon, rendered by the simulator):
// it hydrates, the addon's listener sizes it to its content, its buttons and email form move the
// whole window to the IdP and the login ends in Odoo, Odoo's oauth_error reaches it, and only the
// configured Odoo may frame it (every other bridge page refuses to be framed at all).
import { expect, test, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BRIDGE, IDP, ODOO, expectHydrated, message, odooSession, signInAtIdp, waitForProvider } from "./helpers";

const FRAME = "#login_bridge_embed";

test.beforeAll(async ({ request }) => {
  await waitForProvider(request);
});

/** The frame's height on Odoo's page and the height of the bridge card inside it, in CSS px. */
async function heights(page: Page) {
  const frameHeight = await page.locator(FRAME).evaluate((el) => el.getBoundingClientRect().height);
  const cardHeight = await page
    .frameLocator(FRAME)
    .locator("main")
    .evaluate((el) => el.getBoundingClientRect().height);
  return { frameHeight, cardHeight };
}

/** Waits until the addon's listener has sized the frame to the card (within a few px). */
async function expectFrameFitsCard(page: Page) {
  await expect
    .poll(async () => {
      const { frameHeight, cardHeight } = await heights(page);
      return Math.abs(frameHeight - cardHeight);
    })
    .toBeLessThanOrEqual(3);
}

test("the sign-in frame on Odoo's login page hydrates and the listener sizes it to its content", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  const frame = page.frameLocator(FRAME);
  await expectHydrated(frame);
  await expect(page.locator(FRAME)).toHaveAttribute("src", `${BRIDGE}/embed?odoo=acme&odoo_lang=en_US`);
  await expectFrameFitsCard(page);
  const style = await page.locator(FRAME).evaluate((el) => (el as HTMLElement).style.height);
  expect(style, "the addon starts the frame at 240px; the listener must have replaced it").not.toBe("240px");
  // What a person sees inside it: the email form and the button, the whole button inside the
  // frame's box, and no password link (Odoo's own password form is right below).
  const button = frame.getByRole("link", { name: "Continue with Dev IdP" });
  await expect(button).toBeVisible();
  await expect(button).toHaveAttribute("target", "_top");
  await expect(frame.getByLabel("Work email")).toBeVisible();
  await expect(frame.locator("form.lb-email")).toHaveAttribute("target", "_top");
  await expect(frame.locator(".lb-alt")).toHaveCount(0);
  await expect(frame.getByText("Sign in with a password instead")).toHaveCount(0);
  const frameBox = (await page.locator(FRAME).boundingBox())!;
  const buttonBox = (await button.boundingBox())!;
  expect(buttonBox.y + buttonBox.height).toBeLessThanOrEqual(frameBox.y + frameBox.height);
  // The frame sits above Odoo's password form, as the addon's "above" position says.
  const formBox = (await page.locator("form.oe_login_form").boundingBox())!;
  expect(frameBox.y + frameBox.height).toBeLessThanOrEqual(formBox.y);
});

test("the sign-in frame has no scrollbar of its own: its page is no taller than the frame", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  await expectHydrated(page.frameLocator(FRAME));
  await expectFrameFitsCard(page);
  const frame = page.frame({ name: "login_bridge_embed" }) ?? page.frames().find((f) => f.url().startsWith(`${BRIDGE}/embed`))!;
  const size = await frame.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    clientHeight: document.documentElement.clientHeight,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  // A taller page would show a scrollbar inside Odoo's login card and let the wheel scroll the logo away.
  expect(size.scrollHeight, `frame page is ${size.scrollHeight}px tall in a ${size.clientHeight}px frame`).toBeLessThanOrEqual(size.clientHeight);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
});

test("Continue with Dev IdP inside the frame takes the whole window to the IdP and signs alice in to Odoo", async ({ page }) => {
  await page.goto(`${ODOO}/web/login?redirect=/odoo/sales`);
  const frame = page.frameLocator(FRAME);
  await expectHydrated(frame);
  await expect(page.locator(FRAME)).toHaveAttribute("src", /[?&]redirect=%2Fodoo%2Fsales(&|$)/);
  await frame.getByRole("link", { name: "Continue with Dev IdP" }).click();
  // The top window (not the frame) is at the IdP: IdPs refuse to be framed.
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await signInAtIdp(page, "alice@example.com");
  // Odoo's `redirect` went through the frame and the flow: alice lands where she was going.
  await expect(page).toHaveURL(`${ODOO}/odoo/sales`);
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("a work email typed inside the frame takes the whole window to that address's IdP, pre-filled", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  const frame = page.frameLocator(FRAME);
  await expectHydrated(frame);
  await frame.getByLabel("Work email").fill("alice@example.com");
  const toIdp = page.waitForRequest((r) => r.url().startsWith(`${IDP}/auth`) && r.isNavigationRequest());
  await frame.getByRole("button", { name: "Continue" }).click();
  const request = await toIdp;
  expect(request.frame(), "the IdP must open in the top window, not in the frame").toBe(page.mainFrame());
  expect(new URL(request.url()).searchParams.get("login_hint")).toBe("alice@example.com");
  expect(request.url()).toContain("login_hint=alice%40example.com");
  await expect(page).toHaveURL(new RegExp(`^${IDP}/interaction/`));
  await expect(page.getByLabel("Email")).toHaveValue("alice@example.com");
  await signInAtIdp(page, "alice@example.com");
  await expect(page).toHaveURL(new RegExp(`^${ODOO}/`));
  expect(await odooSession(page.request)).toEqual({ uid: 6, username: "alice@example.com" });
});

test("an email nobody signs in for is answered inside the frame, and Odoo's page stays", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  const frame = page.frameLocator(FRAME);
  await expectHydrated(frame);
  await frame.getByLabel("Work email").fill("x@unknown.org");
  await frame.getByRole("button", { name: "Continue" }).click();
  await expect(frame.locator("#lb-email-error")).toHaveText(message("en", "email-unknown-domain", { domain: "unknown.org" }));
  await expect(frame.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(`${ODOO}/web/login`);
  // The frame grows with the message, so it is not cut off.
  await expectFrameFitsCard(page);
  expect(await odooSession(page.request)).toBeNull();
});

test("Odoo's oauth_error=3 reaches the frame, which explains it with a reference", async ({ page }) => {
  await page.goto(`${ODOO}/web/login?oauth_error=3`);
  await expect(page.locator(FRAME)).toHaveAttribute("src", /[?&]oauth_error=3(&|$)/);
  const frame = page.frameLocator(FRAME);
  await expectHydrated(frame);
  const notice = frame.locator(".lb-notice[role=alert]");
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("heading")).toHaveText("No access to this Odoo database");
  await expect(notice).toContainText(message("en", "odoo-error-3-detail"));
  await expect(notice.locator(".lb-correlation code")).toHaveText(/^\S{6,}$/);
  // The notice makes the card taller; the frame follows, so the button stays reachable.
  await expectFrameFitsCard(page);
  await expect(frame.getByRole("link", { name: "Continue with Dev IdP" })).toBeInViewport();
});

test("the frame tells Odoo's page its height as exactly {type, height}, from the bridge's origin", async ({ page }) => {
  await page.addInitScript(() => {
    if (window !== window.top) return;
    const seen: unknown[] = [];
    (window as unknown as { __lbMessages: unknown[] }).__lbMessages = seen;
    window.addEventListener("message", (event) => {
      const frame = document.getElementById("login_bridge_embed") as HTMLIFrameElement | null;
      seen.push({ origin: event.origin, fromFrame: !!frame && event.source === frame.contentWindow, data: event.data });
    });
  });
  await page.goto(`${ODOO}/web/login`);
  await expectHydrated(page.frameLocator(FRAME));
  await expect.poll(() => page.evaluate(() => (window as unknown as { __lbMessages: unknown[] }).__lbMessages.length)).toBeGreaterThan(0);
  const messages = (await page.evaluate(() => (window as unknown as { __lbMessages: unknown[] }).__lbMessages)) as {
    origin: string;
    fromFrame: boolean;
    data: Record<string, unknown>;
  }[];
  for (const m of messages) {
    expect(m.origin).toBe(BRIDGE);
    expect(m.fromFrame).toBe(true);
    expect(Object.keys(m.data).sort()).toEqual(["height", "type"]);
    expect(m.data.type).toBe("login-bridge:height");
    expect(typeof m.data.height).toBe("number");
    expect(m.data.height as number).toBeGreaterThan(100);
    expect(m.data.height as number).toBeLessThan(4000);
  }
  await expectFrameFitsCard(page);
  const last = messages[messages.length - 1].data.height as number;
  const { frameHeight } = await heights(page);
  expect(Math.abs(frameHeight - last)).toBeLessThanOrEqual(1);
});

test("the listener ignores a height message that does not come from the frame", async ({ page }) => {
  await page.goto(`${ODOO}/web/login`);
  await expectHydrated(page.frameLocator(FRAME));
  await expectFrameFitsCard(page);
  const before = await page.locator(FRAME).evaluate((el) => (el as HTMLElement).style.height);
  // Odoo's own window posts a well-formed message; once it is dispatched (our listener runs after
  // the addon's), the frame must not have moved.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        window.addEventListener("message", (e) => {
          if (e.data?.spoof) setTimeout(resolve, 0);
        });
        window.postMessage({ type: "login-bridge:height", height: 999, spoof: true }, "*");
      }),
  );
  await expect(page.locator(FRAME)).toHaveCSS("height", before);
  expect(before).not.toBe("999px");
});

test.describe("who may frame the bridge", () => {
  let other: Server;
  let otherOrigin: string;

  test.beforeAll(async () => {
    // A real page on another loopback origin (not a routed one: Chrome's local-network checks
    // block loopback frames in a routed page before the bridge's own headers could).
    other = createServer((_, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Not Odoo</title><iframe id="f" src="${BRIDGE}/embed?odoo=acme"></iframe>`);
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => other.close(resolve));
  });

  test("a site that is not the configured Odoo cannot frame the embed page", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => violations.push(m.text()));
    const refused = page.waitForEvent("requestfailed", (r) => r.url().startsWith(`${BRIDGE}/embed`));
    await page.goto(`${otherOrigin}/`);
    // The bridge answered, and the browser refused to show it.
    expect((await refused).failure()?.errorText).toBe("net::ERR_BLOCKED_BY_RESPONSE");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await expect.poll(() => frame.url()).toBe("chrome-error://chromewebdata/");
    await expect(page.frameLocator("#f").locator("main")).toHaveCount(0);
    expect(violations.join("\n")).toContain(`frame-ancestors ${ODOO}`);
  });

  test("from the Odoo's own origin the embed page loads in a frame but the full page is refused", async ({ page }) => {
    await page.goto(`${ODOO}/web/login`);
    await expectHydrated(page.frameLocator(FRAME));
    const violations: string[] = [];
    page.on("console", (m) => violations.push(m.text()));
    const refused = page.waitForEvent("requestfailed", (r) => r.url() === `${BRIDGE}/?odoo=acme`);
    await page.evaluate(
      ([full, embed]) => {
        for (const [id, src] of [["lb-test-full", full], ["lb-test-embed", embed]]) {
          const iframe = document.createElement("iframe");
          iframe.id = id;
          iframe.src = src;
          document.body.appendChild(iframe);
        }
      },
      [`${BRIDGE}/?odoo=acme`, `${BRIDGE}/embed?odoo=acme`],
    );
    expect((await refused).failure()?.errorText).toBe("net::ERR_BLOCKED_BY_RESPONSE");
    await expect(page.frameLocator("#lb-test-full").locator("main")).toHaveCount(0);
    expect(violations.join("\n")).toContain("frame-ancestors 'none'");
    await expectHydrated(page.frameLocator("#lb-test-embed"));
    await expect(page.frameLocator("#lb-test-embed").getByRole("link", { name: "Continue with Dev IdP" })).toBeVisible();
  });

  test("headers: /embed may be framed by exactly the Odoo origin and sets no cookie; every other page is DENY", async ({ request }) => {
    const frameAncestors = (csp: string | undefined) =>
      (csp ?? "")
        .split(";")
        .map((d) => d.trim())
        .filter((d) => d.startsWith("frame-ancestors"));
    for (const path of ["/embed?odoo=acme", "/embed?odoo=acme&odoo_lang=fr_FR&redirect=/odoo/sales&oauth_error=3"]) {
      const response = await request.get(`${BRIDGE}${path}`);
      expect(response.status(), path).toBe(200);
      const headers = response.headersArray();
      const csp = response.headers()["content-security-policy"];
      expect(frameAncestors(csp), path).toEqual([`frame-ancestors ${ODOO}`]);
      expect(response.headers()["x-frame-options"], path).toBeUndefined();
      expect(headers.filter((h) => h.name.toLowerCase() === "set-cookie"), path).toEqual([]);
    }
    const refused: [string, number][] = [
      ["/?odoo=acme", 200],
      ["/?odoo=acme&oauth_error=3", 200],
      ["/?odoo=nope", 404],
      ["/callback/devidp?state=x&code=y", 400],
      ["/nope", 404],
      ["/login/unknownprovider?odoo=acme", 404],
    ];
    for (const [path, status] of refused) {
      const response = await request.get(`${BRIDGE}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBe(status);
      expect(frameAncestors(response.headers()["content-security-policy"]), path).toEqual(["frame-ancestors 'none'"]);
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
    }
  });
});
