// First-visit weight of the sign-in page in Debian's Chromium (never a downloaded browser):
// bytes on the wire per kind (HTML, CSS, JS, WASM) from the DevTools protocol
// (`Network.loadingFinished.encodedDataLength`, headers included, and the body alone), request
// count, DOMContentLoaded and the moment `main[data-hydrated=true]` appears, over several visits
// with an empty cache; then a second visit with a warm cache.
// Older Chromium advertised brotli only over https; the Accept-Encoding it really sent is
// recorded, a second set of visits asks for gzip only (a browser or proxy without brotli), and a
// third asks for `br, gzip` explicitly if Chromium did not offer br on this http URL.
//
//   node scripts/bench/first-visit.mjs URL OUT.json     (FIRST_VISIT_RUNS, default 5)
import { createRequire } from "node:module";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(path.join(root, "end2end/package.json"));
const { chromium } = require("@playwright/test");

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error("usage: first-visit.mjs URL OUT.json");
  process.exit(2);
}
const runs = Number(process.env.FIRST_VISIT_RUNS ?? 5);
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, "target/site");

function kindOf(r) {
  const u = new URL(r.url);
  const mime = (r.mimeType ?? "").toLowerCase();
  if (u.pathname === "/favicon.ico") return "other";
  if (u.pathname.endsWith(".wasm") || mime === "application/wasm") return "wasm";
  if (r.type === "Document" || mime === "text/html") return "html";
  if (u.pathname.endsWith(".css") || mime === "text/css") return "css";
  if (u.pathname.endsWith(".js") || mime.includes("javascript")) return "js";
  return "other";
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Records every request of one page through CDP; `visit` resolves once the page is hydrated and
// the network is idle, so every `loadingFinished` has arrived.
async function visit(context, target) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  const get = (id) => {
    if (!requests.has(id)) requests.set(id, { id });
    return requests.get(id);
  };
  cdp.on("Network.requestWillBeSent", (e) => Object.assign(get(e.requestId), { url: e.request.url, type: e.type }));
  cdp.on("Network.requestWillBeSentExtraInfo", (e) => {
    const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v]));
    get(e.requestId).acceptEncoding = h["accept-encoding"] ?? null;
  });
  cdp.on("Network.requestServedFromCache", (e) => (get(e.requestId).fromCache = true));
  cdp.on("Network.responseReceived", (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    Object.assign(get(e.requestId), {
      status: e.response.status,
      mimeType: e.response.mimeType,
      type: e.type,
      contentEncoding: h["content-encoding"] ?? null,
      cacheControl: h["cache-control"] ?? null,
      headerBytes: e.response.encodedDataLength,
      fromCache: get(e.requestId).fromCache || e.response.fromDiskCache || e.response.fromPrefetchCache || false,
    });
  });
  cdp.on("Network.dataReceived", (e) => (get(e.requestId).decodedBytes = (get(e.requestId).decodedBytes ?? 0) + e.dataLength));
  cdp.on("Network.loadingFinished", (e) => (get(e.requestId).transferBytes = e.encodedDataLength));
  cdp.on("Network.loadingFailed", (e) => (get(e.requestId).failed = e.errorText));
  await cdp.send("Network.enable");
  // Set before any script of the page runs: the first moment hydration flips the attribute.
  await page.addInitScript(() => {
    const check = () => {
      if (window.__hydratedAt === undefined && document.querySelector('main[data-hydrated="true"]')) {
        window.__hydratedAt = performance.now();
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-hydrated"] });
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(target, { waitUntil: "load" });
  let hydrated = true;
  try {
    await page.waitForSelector('main[data-hydrated="true"]', { timeout: 20_000 });
  } catch {
    hydrated = false;
  }
  await page.waitForLoadState("networkidle");
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, hydrated: window.__hydratedAt ?? null };
  });
  await cdp.detach();
  await page.close();
  const list = [...requests.values()].filter((r) => r.url && !r.url.startsWith("data:"));
  return { list, timing, hydrated, errors };
}

function tally(list) {
  const byKind = {};
  let transfer = 0;
  let body = 0;
  let network = 0;
  for (const r of list) {
    const k = kindOf(r);
    const onWire = r.fromCache ? 0 : (r.transferBytes ?? 0);
    const bodyBytes = r.fromCache ? 0 : Math.max(0, onWire - (r.headerBytes ?? 0));
    byKind[k] ??= { requests: 0, from_cache: 0, transfer_bytes: 0, body_bytes: 0, decoded_bytes: 0, content_encoding: [] };
    const t = byKind[k];
    t.requests += 1;
    if (r.fromCache) t.from_cache += 1;
    else network += 1;
    t.transfer_bytes += onWire;
    t.body_bytes += bodyBytes;
    t.decoded_bytes += r.decodedBytes ?? 0;
    if (!t.content_encoding.includes(r.contentEncoding ?? "identity")) t.content_encoding.push(r.contentEncoding ?? "identity");
    transfer += onWire;
    body += bodyBytes;
  }
  return { requests: list.length, network_requests: network, transfer_bytes: transfer, body_bytes: body, by_kind: byKind };
}

async function coldVisits(browser, extraHTTPHeaders) {
  const timings = [];
  let first = null;
  let hydratedAll = true;
  const errors = [];
  for (let i = 0; i < runs; i++) {
    // A new context has an empty HTTP cache and no cookies: a first visit.
    const context = await browser.newContext(extraHTTPHeaders ? { extraHTTPHeaders } : {});
    const v = await visit(context, url);
    hydratedAll &&= v.hydrated;
    errors.push(...v.errors);
    timings.push(v.timing);
    if (!first) first = { visit: v, context };
    else await context.close();
  }
  const t = tally(first.visit.list);
  return {
    first,
    result: {
      ...t,
      accept_encoding_sent: [...new Set(first.visit.list.map((r) => r.acceptEncoding).filter(Boolean))],
      requests_detail: first.visit.list.map((r) => ({
        url: r.url.replace(/^https?:\/\/[^/]+/, ""),
        kind: kindOf(r),
        status: r.status ?? null,
        content_encoding: r.contentEncoding ?? null,
        cache_control: r.cacheControl ?? null,
        transfer_bytes: r.transferBytes ?? null,
        failed: r.failed ?? undefined,
      })),
      hydrated: hydratedAll,
      page_errors: errors,
      visits: runs,
      dom_content_loaded_ms: { median: median(timings.map((x) => x.domContentLoaded)), runs: timings.map((x) => x.domContentLoaded) },
      hydrated_ms: { median: median(timings.map((x) => x.hydrated)), runs: timings.map((x) => x.hydrated) },
      load_ms: { median: median(timings.map((x) => x.load)), runs: timings.map((x) => x.load) },
    },
  };
}

// What a browser accepting brotli gets for the same requests: the precompressed .br of each site
// asset found under its own name, else what was sent (the HTML, which the bridge compresses as
// it goes, and the JS and WASM, requested by their bundle name: server/src/http/assets.rs).
function brotliOnDisk(list) {
  const rows = [];
  let total = 0;
  for (const r of list) {
    const p = new URL(r.url).pathname;
    const file = path.join(siteRoot, p);
    let bytes = null;
    let how = "";
    if (p !== "/" && existsSync(`${file}.br`)) {
      bytes = statSync(`${file}.br`).size;
      how = ".br file";
    } else if (r.transferBytes != null) {
      bytes = Math.max(0, r.transferBytes - (r.headerBytes ?? 0));
      how = `as sent (${r.contentEncoding ?? "identity"})`;
    }
    rows.push({ url: p, kind: kindOf(r), bytes, how });
    total += bytes ?? 0;
  }
  return { body_bytes: total, files: rows };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const plain = await coldVisits(browser, null);
  // Warm cache: a second visit in the same context as the first cold one.
  const warmVisit = await visit(plain.first.context, url);
  const warm = { ...tally(warmVisit.list), hydrated: warmVisit.hydrated, dom_content_loaded_ms: warmVisit.timing.domContentLoaded, hydrated_ms: warmVisit.timing.hydrated };
  await plain.first.context.close();

  // A browser that does not take brotli (or a proxy that strips it) gets the .gz files.
  const gzip = await coldVisits(browser, { "Accept-Encoding": "gzip, deflate" });
  await gzip.first.context.close();
  // Older Chromium sends brotli only over https; if this one did not on http, ask for it.
  const sentBr = plain.result.accept_encoding_sent.some((h) => /\bbr\b/.test(h));
  const br = sentBr ? null : await coldVisits(browser, { "Accept-Encoding": "br, gzip" });
  if (br) await br.first.context.close();

  const htmlReq = plain.first.visit.list.find((r) => kindOf(r) === "html");
  let htmlCompressed = null;
  if (htmlReq) {
    const res = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
    const text = Buffer.from(await res.arrayBuffer());
    htmlCompressed = {
      identity_bytes: text.length,
      gzip_bytes: gzipSync(text, { level: 9 }).length,
      brotli_bytes: brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
      note: "the bridge sends its HTML uncompressed; what compressing it would save",
    };
  }

  const result = {
    name: "first_visit",
    url,
    chromium: browser.version(),
    cold: plain.result,
    cold_gzip_only: { ...gzip.result, note: "Accept-Encoding: gzip, deflate set as an extra HTTP header: a browser or proxy without brotli" },
    cold_accept_br: br ? { ...br.result, note: "Accept-Encoding: br, gzip set as an extra HTTP header (this Chromium did not offer brotli on http)" } : "not needed: Chromium itself offered br on this http URL",
    brotli_files_on_disk: brotliOnDisk(plain.first.visit.list),
    html_compression: htmlCompressed,
    warm,
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const kb = (b) => (b / 1000).toFixed(1);
  console.log(
    `first visit: ${plain.result.requests} requests, ${kb(plain.result.transfer_bytes)} kB on the wire (${plain.result.accept_encoding_sent.join(" | ")}); ` +
      `gzip only: ${kb(gzip.result.transfer_bytes)} kB; DOMContentLoaded ${plain.result.dom_content_loaded_ms.median?.toFixed(0)} ms, ` +
      `hydrated ${plain.result.hydrated_ms.median?.toFixed(0)} ms; warm: ${warm.network_requests} network requests, ${kb(warm.transfer_bytes)} kB`,
  );
  if (!plain.result.hydrated || !gzip.result.hydrated || (br && !br.result.hydrated)) console.log("first visit: the page did NOT hydrate in every visit (see page_errors)");
} finally {
  await browser.close();
}
