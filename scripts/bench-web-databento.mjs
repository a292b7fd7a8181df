// The 15-year Databento run in headless Chromium against fake-databento's realistic
// universe; run by `scripts/bench-web --databento` (or after the other measures). Reports
// the fetch-and-run time, bytes received, IndexedDB usage, peak wasm memory, the cached
// re-run and the longest main-thread blocks (Long Tasks API) while the progress bar moves,
// each named by the step it was (the eight longest of each run go to stderr).
import { chromium } from "playwright-core";

const app = process.env.BENCH_APP;
const fake = process.env.BENCH_FAKE;
const start = process.env.BENCH_START || "2010-07-01";
const end = process.env.BENCH_END || "2025-12-31";
const KEY = "db-TESTKEY0000000000000000000000";
const TIMEOUT = 1_800_000;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--enable-precise-memory-info"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
// Before the app loads: keep the wasm instance's memory, record long tasks, and sample the
// progress bar (its distinct values say whether it moved).
await context.addInitScript(() => {
  const keep = (result) => {
    const exports = (result.instance ?? result).exports;
    if (exports?.memory) window.__benchMemory = exports.memory;
    return result;
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
  }
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: "longtask", buffered: true });
  // What the page showed, each time it changed: a long task lies between two of these.
  window.__benchProgress = new Set();
  window.__benchShown = [];
  setInterval(() => {
    const bar = document.querySelector("#progress progress");
    if (bar) window.__benchProgress.add(bar.value);
    const text = document.querySelector("#progress p")?.textContent ?? document.querySelector("#run")?.textContent ?? "";
    const last = window.__benchShown.at(-1);
    if (!last || last.text !== text) window.__benchShown.push({ at: performance.now(), text });
  }, 50);
});
const page = await context.newPage();
const sizes = [];
page.on("requestfinished", (r) => {
  if (r.url().startsWith(fake) && r.url().includes("timeseries.get_range")) {
    sizes.push(r.sizes().then((s) => s.responseBodySize, () => 0));
  }
});
const received = async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
await page.goto(`${app}?src=databento&start_date=${start}&end_date=${end}`);
await page.click("label.tab:has-text('Databento')");
await page.fill("#api-key", KEY);
await page.click("details.advanced summary");
await page.fill("#gateway", fake);

const memory = () => page.evaluate(() => window.__benchMemory?.buffer.byteLength ?? 0);
const usage = () => page.evaluate(async () => (await navigator.storage.estimate()).usage);
/// Estimate (when `confirm`: a fully cached run has no estimate to confirm, its first click
/// runs), then fetch and run; the time from the click that fetches to the results, and
/// the longest task and progress values seen meanwhile.
async function fetchAndRun({ confirm }) {
  await page.evaluate(() => (window["deltaroll:run"] = undefined));
  if (confirm) {
    await page.click("#run");
    await page.waitForSelector("#estimate", { timeout: TIMEOUT });
  }
  const from = await page.evaluate(() => {
    window.__benchProgress.clear();
    return performance.now();
  });
  await page.click("#run");
  await page.waitForFunction(() => window["deltaroll:run"] !== undefined, null, { timeout: TIMEOUT, polling: 200 });
  return page.evaluate((from) => {
    const tasks = window.__benchLongTasks.filter((t) => t.at >= from);
    const steps = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("deltaroll:"));
    // A long task is named by the app's step measures it overlaps, else by what the page
    // showed just before it and just after it.
    const named = (t) => {
      const end = t.at + t.ms;
      const inside = steps.filter((m) => m.startTime < end && m.startTime + m.duration > t.at).map((m) => m.name);
      if (inside.length) return inside.join(" + ");
      const before = window.__benchShown.filter((s) => s.at <= t.at).at(-1)?.text ?? "?";
      const after = window.__benchShown.find((s) => s.at >= end)?.text ?? "?";
      return before === after ? `during "${before}"` : `between "${before}" and "${after}"`;
    };
    const worst = tasks.toSorted((a, b) => b.ms - a.ms).slice(0, 8);
    return {
      ms: performance.now() - from,
      run: window["deltaroll:run"],
      show: window["deltaroll:show"],
      longest: Math.max(0, ...tasks.map((t) => t.ms)),
      longestStep: worst.length ? named(worst[0]) : "none",
      worst: worst.map((t) => `${t.ms.toFixed(0)} ms at ${((t.at - from) / 1e3).toFixed(1)} s: ${named(t)}`),
      longTasks: tasks.length,
      progress: window.__benchProgress.size,
    };
  }, from);
}

const first = await fetchAndRun({ confirm: true });
const firstBytes = await received();
const firstMemory = await memory();
const cache = await usage();
// The same spec again (another delta and back, so the page runs anew): every answer is
// cached, so the app asks for no estimate and the first click runs.
await page.fill("#delta", "0.16");
await page.fill("#delta", "0.15");
const cached = await fetchAndRun({ confirm: false });
const cachedMemory = await memory();
const uaMemory = await page.evaluate(async () =>
  globalThis.crossOriginIsolated && performance.measureUserAgentSpecificMemory
    ? (await performance.measureUserAgentSpecificMemory()).bytes
    : null,
);
const rolls = await page.locator("#rolls tbody tr").count();
await context.close();
await browser.close();

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const row = (what, value, goal, ok) => console.log(`| ${what} | ${value} | ${goal} | ${ok === undefined ? "—" : ok ? "yes" : "NO"} |`);
console.log(`\nweb app, release, Databento mode against the realistic fake-databento, ${start}..${end} (${rolls} rolls)`);
console.log("| measure | result | goal | met |");
console.log("| --- | --- | --- | --- |");
row("fetch-and-run, empty cache (from the click after the estimate)", `${(first.ms / 1e3).toFixed(1)} s`, "—");
row("bytes received (get_range bodies, zstd)", mb(firstBytes), "—");
row("IndexedDB usage after it (navigator.storage.estimate)", mb(cache), "≤ 150 MB", cache <= 150e6);
row("peak wasm memory (the instance's memory, which only grows)", mb(Math.max(firstMemory, cachedMemory)), "≤ 400 MB", Math.max(firstMemory, cachedMemory) <= 400e6);
if (uaMemory !== null) row("measureUserAgentSpecificMemory", mb(uaMemory), "—");
row("longest main-thread block during the fetch (Long Tasks)", `${first.longest.toFixed(0)} ms (${first.longTasks} tasks > 50 ms; ${first.progress} progress values seen)`, "≤ 200 ms", first.longest <= 200);
row("  the longest was", first.longestStep, "—");
row("  of which: the strategy run / showing the results (one task each)", `${first.run.toFixed(0)} ms / ${first.show.toFixed(0)} ms`, "—");
row("cached re-run", `${(cached.ms / 1e3).toFixed(2)} s`, "≤ 3 s", cached.ms <= 3000);
row("  of which: the strategy run / showing the results", `${cached.run.toFixed(0)} ms / ${cached.show.toFixed(0)} ms`, "—");
row("longest main-thread block during the cached re-run", `${cached.longest.toFixed(0)} ms (${cached.longTasks} tasks > 50 ms; ${cached.progress} progress values seen)`, "≤ 200 ms", cached.longest <= 200);
row("  the longest was", cached.longestStep, "—");
for (const [what, run] of [["fetch", first], ["cached re-run", cached]]) {
  console.error(`\nlongest tasks of the ${what}:\n  ${run.worst.join("\n  ")}`);
}
