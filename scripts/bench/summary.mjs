// The table `make bench` ends with: every figure of the performance targets, its target, pass or
// miss, and a reference beside it (the Odoo simulator where there is one to compare with), from
// the JSON files in target/bench/. Also writes target/bench/summary.json. A measurement that did
// not run or failed says so instead of a number.
//
//   node scripts/bench/summary.mjs target/bench
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = process.argv[2] ?? "target/bench";
const read = (name) => {
  const file = path.join(dir, `${name}.json`);
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
  } catch (e) {
    return { unreadable: String(e) };
  }
};
const machine = read("machine");
const page = read("page");
const pageSim = read("page_odoo_sim");
const healthz = read("healthz");
const tokeninfo = read("tokeninfo");
const login = read("login");
const visit = read("first_visit");
const rss = read("rss");
const load = read("load");

// SI units throughout: kB = 1000 bytes, MB = 1,000,000 bytes.
const n0 = (x) => Math.round(x).toLocaleString("en-US");
const ms = (us) => `${(us / 1000).toFixed(2)} ms`;
const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
const MB = (kib) => `${((kib * 1024) / 1e6).toFixed(1)} MB`;
const NOT = (why) => ({ missing: why });

const rows = [];
// row(figure, value | NOT(...), target text, passed (true/false/null), reference text)
function row(figure, value, target = "", passed = null, reference = "") {
  const missing = value && typeof value === "object" && "missing" in value;
  rows.push({
    figure,
    value: missing ? `not measured: ${value.missing}` : value,
    target,
    result: missing ? (target ? "n/a" : "") : passed === null ? "" : passed ? "pass" : "MISS",
    reference,
  });
}
const wrkErrors = (r) => (r ? `${r.error_total} errors` : "");

// ---- login page
if (page && !page.unreadable) {
  // Bytes per response (headers included) say how much more the bridge's page does than Odoo's.
  const size = (r) => kB(r.bytes / Math.max(1, r.requests));
  const ref = pageSim ? `simulator /web/login: ${n0(pageSim.requests_per_s)} req/s (${size(pageSim)} vs ${size(page)} a response)` : "simulator not measured";
  row(`Login page, ${page.connections} connections, ${page.duration_s.toFixed(0)} s: throughput`, `${n0(page.requests_per_s)} req/s`, "≥ 15,000 req/s", page.requests_per_s >= 15000, ref);
  row("Login page: p50 latency", ms(page.latency_us.p50), "", null, pageSim ? `simulator: ${ms(pageSim.latency_us.p50)}` : "");
  row("Login page: p99 latency", ms(page.latency_us.p99), "", null, pageSim ? `simulator: ${ms(pageSim.latency_us.p99)}` : "");
  row("Login page: errors (non-2xx/3xx, socket)", String(page.error_total), "0", page.error_total === 0, pageSim ? `simulator: ${wrkErrors(pageSim)}` : "");
} else row("Login page throughput", NOT("no target/bench/page.json (BENCH_ONLY without page, or wrk failed)"), "≥ 15,000 req/s");

// ---- tokeninfo
if (tokeninfo && !tokeninfo.unreadable) {
  const ceiling = healthz ? `/healthz (same stack, no work): ${n0(healthz.requests_per_s)} req/s` : "";
  row(`tokeninfo, ${tokeninfo.connections} connections, fresh tokens: throughput`, `${n0(tokeninfo.requests_per_s)} req/s`, "≥ 20,000 req/s", tokeninfo.requests_per_s >= 20000, ceiling);
  row("tokeninfo: p50 latency", ms(tokeninfo.latency_us.p50), "", null, healthz ? `/healthz: ${ms(healthz.latency_us.p50)}` : "");
  row("tokeninfo: p99 latency", ms(tokeninfo.latency_us.p99), "< 1 ms", tokeninfo.latency_us.p99 < 1000, healthz ? `/healthz: ${ms(healthz.latency_us.p99)}` : "");
  row(
    "tokeninfo: errors / tokens the pool lacked",
    `${tokeninfo.error_total} / ${tokeninfo.tokens_exhausted}`,
    "0 / 0",
    tokeninfo.error_total === 0 && tokeninfo.tokens_exhausted === 0,
    `pool ${n0(tokeninfo.token_pool)}, ${n0(tokeninfo.tokens_sent)} sent`,
  );
} else row("tokeninfo throughput", NOT("no target/bench/tokeninfo.json"), "≥ 20,000 req/s");

// ---- criterion
if (login && !login.unreadable && login.criterion?.mean_ms != null) {
  const c = login.criterion;
  const b = login.breakdown;
  row("Server time per login (authorize + callback + tokeninfo), mean", `${c.mean_ms.toFixed(2)} ms`, "≤ 5 ms", c.mean_ms <= 5, `median ${c.median_ms.toFixed(2)} ms`);
  row(
    "  of which CPU: bridge / provider / Odoo simulator",
    `${b.cpu_ms_per_login.bridge.toFixed(2)} ms`,
    "",
    null,
    `provider ${b.cpu_ms_per_login.provider.toFixed(2)} ms, Odoo ${b.cpu_ms_per_login.odoo_sim.toFixed(2)} ms`,
  );
  row(
    "  wall time per step: authorize / callback / tokeninfo",
    `${b.step_wall_ms.authorize.toFixed(2)} / ${b.step_wall_ms.callback.toFixed(2)} / ${b.step_wall_ms.tokeninfo.toFixed(2)} ms`,
  );
} else row("Server time per login", NOT("no criterion result in target/bench/login.json"), "≤ 5 ms");

// ---- first visit
if (visit && !visit.unreadable) {
  const c = visit.cold;
  const k = (kind) => c.by_kind[kind]?.transfer_bytes ?? 0;
  const gz = visit.cold_gzip_only;
  row(
    `First visit, Chromium ${visit.chromium.split(".")[0]}: bytes on the wire`,
    kB(c.transfer_bytes),
    "≤ 60 kB",
    c.transfer_bytes <= 60000,
    `sent "${c.accept_encoding_sent.join(" | ")}"; gzip-only browser: ${gz ? kB(gz.transfer_bytes) : "n/a"}`,
  );
  row(
    "  HTML / CSS / JS / WASM",
    `${kB(k("html"))} / ${kB(k("css"))} / ${kB(k("js"))} / ${kB(k("wasm"))}`,
    "",
    null,
    `decoded WASM ${kB(c.by_kind.wasm?.decoded_bytes ?? 0)}${c.by_kind.other ? `; other ${kB(k("other"))}` : ""}`,
  );
  row("  requests (first / second visit, warm cache)", `${c.requests} / ${visit.warm.network_requests}`, "", null, `warm visit: ${kB(visit.warm.transfer_bytes)} on the wire`);
  row("  DOMContentLoaded (median of visits)", `${c.dom_content_loaded_ms.median?.toFixed(0)} ms`, "", null, `warm: ${visit.warm.dom_content_loaded_ms?.toFixed(0)} ms`);
  row("  hydrated: main[data-hydrated=true] (median)", c.hydrated ? `${c.hydrated_ms.median?.toFixed(0)} ms` : NOT("the page did not hydrate"), "", null, `warm: ${visit.warm.hydrated_ms?.toFixed(0)} ms`);
} else row("First-visit weight", NOT("no target/bench/first_visit.json (Chromium run failed or skipped)"), "≤ 60 kB");

// ---- memory
if (rss && !rss.unreadable) {
  row("Bridge RSS idle, after start", MB(rss.idle_after_start.rss_kib), "≤ 25 MB", rss.idle_after_start.rss_kib * 1024 <= 25e6, `simulator at the end: ${MB(rss.odoo_sim_after_benchmarks.rss_kib)}`);
  row("Bridge RSS idle, after one page", MB(rss.after_one_page.rss_kib), "≤ 25 MB", rss.after_one_page.rss_kib * 1024 <= 25e6);
  const peak = Math.max(rss.after_benchmarks.hwm_kib, load?.memory?.peak_hwm_kib ?? 0);
  row("Bridge peak RSS under load (VmHWM)", MB(peak), "≤ 60 MB", peak * 1024 <= 60e6, `RSS after the runs: ${MB(rss.after_benchmarks.rss_kib)}`);
} else row("Bridge RSS", NOT("no target/bench/rss.json"), "≤ 25 MB / ≤ 60 MB");

// ---- load
if (load && !load.unreadable) {
  const p = load.parts;
  const per = ["page", "start", "tokeninfo"].map((k) => (p[k] ? `${k} ${n0(p[k].requests_per_s)}/s` : `${k} n/a`)).join(", ");
  row(`Load ${load.seconds} s at saturation: errors`, String(load.error_total), "0", load.error_total === 0 && load.bridge_alive_after, per);
  const m = load.memory;
  row(
    `  memory over the last 30 s`,
    m.growth_last_window_pct === null ? NOT("too few RSS samples") : `${m.growth_last_window_pct >= 0 ? "+" : ""}${m.growth_last_window_pct.toFixed(1)} %`,
    "stable (< +10 %)",
    m.stable,
    `RSS ${MB(m.start_kib)} → ${MB(m.end_kib)}, peak ${MB(m.peak_hwm_kib)}`,
  );
  if (load.wal_bytes?.end != null) {
    const w = load.wal_bytes;
    const db = load.store_files_bytes;
    row(
      "  store: SQLite WAL during the load",
      `${(w.start / 1e6).toFixed(1)} → ${(w.end / 1e6).toFixed(1)} MB`,
      "",
      null,
      db?.before && db?.after ? `database file ${(db.before["bridge.db"] / 1e6).toFixed(1)} → ${(db.after["bridge.db"] / 1e6).toFixed(1)} MB` : "",
    );
  }
  const tok = p.tokeninfo;
  if (tok) row("  tokeninfo tokens the pool lacked", String(tok.tokens_exhausted), "0", tok.tokens_exhausted === 0, `pool ${n0(tok.token_pool)}`);
} else row("Load test", NOT("no target/bench/load.json (LOAD_SECONDS=0 or skipped)"), "0 errors, stable memory");

// ---- the bridge's own log: what it complained about during the runs
const problemsFile = path.join(dir, "run/bridge-problems.log");
if (existsSync(problemsFile)) {
  const lines = readFileSync(problemsFile, "utf8").split("\n").filter(Boolean);
  const kinds = [...new Set(lines.map((l) => l.replace(/^\S+\s+/, "").replace(/\s\S+=\S+/g, "").slice(0, 90)))];
  row("Bridge log: WARN/ERROR lines during the runs", String(lines.length), "", null, kinds.slice(0, 2).join(" | "));
}

// ---- print
const cols = ["figure", "value", "target", "result", "reference"];
const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
const line = (r) => cols.map((c) => String(r[c]).padEnd(width[c])).join("  ").trimEnd();
console.log("");
if (machine) {
  console.log(
    `make bench — ${machine.date.slice(0, 16).replace("T", " ")} UTC, ${machine.cpu_model}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}; ` +
      `load average at start ${machine.load_average_at_start.join(" ")}, at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; commit ${machine.commit}${machine.dirty ? " (modified)" : ""}`,
  );
}
console.log(line(Object.fromEntries(cols.map((c) => [c, c]))));
console.log(cols.map((c) => "-".repeat(width[c])).join("  "));
for (const r of rows) console.log(line(r));
const misses = rows.filter((r) => r.result === "MISS").length;
console.log(`\n${misses} target(s) missed; details in ${dir}/*.json (wrk, criterion, Chromium, RSS samples).`);
writeFileSync(path.join(dir, "summary.json"), `${JSON.stringify({ name: "summary", machine, load_average_at_end: os.loadavg(), rows }, null, 2)}\n`);
