// The mixed load test's result (target/bench/load.json) from its three wrk runs (page, start,
// tokeninfo, run at once), the bridge's memory sampled every 2 s, and the store's files.
// Memory counts as stable when VmRSS at the end of the load is less than 10 % above VmRSS
// 30 s before the end (10 s into the load at the earliest): a leak keeps growing at saturation,
// a cache or pool levels off.
//
//   node load-report.mjs OUT_DIR RUN_DIR LOAD_SECONDS BRIDGE_ALIVE
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [out, run, loadSecondsArg, aliveArg] = process.argv.slice(2);
const loadSeconds = Number(loadSecondsArg);
const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);
const STABLE_WINDOW_S = 30;
const STABLE_GROWTH_PCT = 10;

const parts = {};
for (const kind of ["page", "start", "tokeninfo"]) {
  const r = read(path.join(out, `load_${kind}.json`));
  parts[kind] = r && {
    url: r.url,
    connections: r.connections,
    requests: r.requests,
    requests_per_s: r.requests_per_s,
    latency_ms: { p50: r.latency_us.p50 / 1e3, p99: r.latency_us.p99 / 1e3, max: r.latency_us.max / 1e3 },
    errors: r.errors,
    error_total: r.error_total,
    ...(r.tokens_exhausted !== undefined ? { token_pool: r.token_pool, tokens_sent: r.tokens_sent, tokens_exhausted: r.tokens_exhausted } : {}),
  };
}

const samples = existsSync(path.join(run, "rss-samples.jsonl"))
  ? readFileSync(path.join(run, "rss-samples.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .map((s) => ({ t_s: s.t_ms / 1e3, rss_kib: s.mem.rss_kib, hwm_kib: s.mem.hwm_kib, db_bytes: s.db_bytes ?? null, wal_bytes: s.wal_bytes ?? null }))
  : [];
const during = samples.filter((s) => s.t_s <= loadSeconds + 1);
const nearest = (t) => during.reduce((best, s) => (best === null || Math.abs(s.t_s - t) < Math.abs(best.t_s - t) ? s : best), null);
const last = during.at(-1) ?? null;
// Never before the first 10 s: a short test (LOAD_SECONDS < 40) would otherwise compare with the
// process as it was before the load began.
const WARM_UP_S = 10;
const before = last ? nearest(Math.max(last.t_s - STABLE_WINDOW_S, WARM_UP_S)) : null;
const growth = last && before && before !== last ? ((last.rss_kib - before.rss_kib) / before.rss_kib) * 100 : null;

const files = (name) => {
  const file = path.join(run, name);
  if (!existsSync(file)) return null;
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .map((f) => [path.basename(f.at(-1)), Number(f[4])]),
  );
};

const errorTotal = Object.values(parts).reduce((n, p) => n + (p ? p.error_total : 0), 0);
const result = {
  name: "load",
  seconds: loadSeconds,
  bridge_alive_after: aliveArg === "true",
  error_total: errorTotal,
  requests_total: Object.values(parts).reduce((n, p) => n + (p ? p.requests : 0), 0),
  parts,
  memory: {
    stable_definition: `VmRSS at the end of the load < ${STABLE_GROWTH_PCT} % above VmRSS ${STABLE_WINDOW_S} s before the end (${WARM_UP_S} s into the load at the earliest)`,
    compared_from_s: before?.t_s ?? null,
    samples_every_s: 2,
    start_kib: during[0]?.rss_kib ?? null,
    before_end_kib: before?.rss_kib ?? null,
    end_kib: last?.rss_kib ?? null,
    max_kib: during.length ? Math.max(...during.map((s) => s.rss_kib)) : null,
    peak_hwm_kib: samples.length ? Math.max(...samples.map((s) => s.hwm_kib)) : null,
    growth_last_window_pct: growth,
    stable: growth === null ? null : growth < STABLE_GROWTH_PCT,
    samples,
  },
  store_files_bytes: { before: files("db-before-load.txt"), after: files("db-after-load.txt") },
  // The SQLite file grows with every pending flow (10 min each); the WAL should stay bounded
  // by checkpoints, and keeps growing when a checkpoint never finds a moment without readers.
  wal_bytes: { start: during[0]?.wal_bytes ?? null, before_end: before?.wal_bytes ?? null, end: last?.wal_bytes ?? null, max: during.length ? Math.max(...during.map((s) => s.wal_bytes ?? 0)) : null },
};
writeFileSync(path.join(out, "load.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `load: ${result.requests_total} requests in ${loadSeconds} s, ${errorTotal} errors; RSS ${(result.memory.start_kib / 1024).toFixed(1)} → ${(result.memory.end_kib / 1024).toFixed(1)} MiB ` +
    `(last ${STABLE_WINDOW_S} s: ${growth === null ? "n/a" : growth.toFixed(1) + " %"}, ${result.memory.stable ? "stable" : "NOT stable"})`,
);
