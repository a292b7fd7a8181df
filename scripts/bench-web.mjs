// Measures the built app in headless Chromium; run by scripts/bench-web.
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const app = process.env.BENCH_APP;
const nativeMs = Number(process.env.BENCH_NATIVE_MS);
const nativeMs4 = Number(process.env.BENCH_NATIVE_MS_4_LEGS);
const nativeMs4c = Number(process.env.BENCH_NATIVE_MS_4_CALLS);
const wasmBytes = statSync(process.env.BENCH_WASM).size;
const wasmGzip = gzipSync(readFileSync(process.env.BENCH_WASM)).length;
const FIVE_YEARS = "?src=demo&start_date=2021-01-01&end_date=2025-12-31";
// The criterion bench's iron condor: short calls and puts at 0.15, long at 0.05.
const FOUR_LEGS = `${FIVE_YEARS}&legs=${encodeURIComponent("short:call:0.15:2,short:put:0.15:2,long:call:0.05:2,long:put:0.05:2")}`;
// The criterion bench's four calls of one chain: 0.05, 0.10, 0.15 and 0.25.
const FOUR_CALLS = `${FIVE_YEARS}&legs=${encodeURIComponent("long:call:0.05:2,long:call:0.10:2,long:call:0.15:2,long:call:0.25:2")}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

async function fresh(query = "") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(app + query);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined, null, { timeout: 120_000 });
  return { context, page };
}

const firstChart = [];
const started = [];
const market = [];
const firstRun = [];
const shown = [];
const mounted = [];
const demoStart = [];
const drawn = [];
for (let i = 0; i < 5; i++) {
  const { context, page } = await fresh();
  firstChart.push(await page.evaluate(() => window["deltaroll:first-chart"]));
  started.push(await page.evaluate(() => window["deltaroll:started"]));
  market.push(await page.evaluate(() => window["deltaroll:demo-market"]));
  firstRun.push(await page.evaluate(() => window["deltaroll:run"]));
  shown.push(await page.evaluate(() => window["deltaroll:show"]));
  mounted.push(await page.evaluate(() => window["deltaroll:mounted"]));
  demoStart.push(await page.evaluate(() => window["deltaroll:demo-start"]));
  drawn.push(await page.evaluate(() => window["deltaroll:draw-chart-prices"]));
  await context.close();
}

// The same build again in a page whose code has run once (compiled and warm): another
// target delta, so the market is built anew.
const warm = [];
{
  const { context, page } = await fresh();
  for (const delta of ["0.16", "0.17", "0.18"]) {
    await page.evaluate(() => (window["deltaroll:run"] = undefined));
    await page.fill("#delta", delta);
    await page.click("#run");
    await page.waitForFunction(() => window["deltaroll:run"] !== undefined, null, { timeout: 120_000 });
    warm.push(await page.evaluate(() => window["deltaroll:demo-market"]));
  }
  await context.close();
}

/** The median of 7 runs' compute times in a page opened on `query`. */
async function runTimes(query) {
  const { context, page } = await fresh(query);
  const runs = [];
  for (let i = 0; i < 7; i++) {
    await page.evaluate(() => (window["deltaroll:run"] = undefined));
    await page.click("#run");
    await page.waitForFunction(() => window["deltaroll:run"] !== undefined, null, { timeout: 120_000 });
    runs.push(await page.evaluate(() => window["deltaroll:run"]));
  }
  await context.close();
  return median(runs);
}
const wasmRun = await runTimes(FIVE_YEARS);
const wasmRun4 = await runTimes(FOUR_LEGS);
const wasmRun4c = await runTimes(FOUR_CALLS);
await browser.close();

const row = (what, value, goal, ok) => console.log(`| ${what} | ${value} | ${goal} | ${ok ? "yes" : "NO"} |`);
console.log("| measure | result | goal | met |");
console.log("| --- | --- | --- | --- |");
row("page load → first chart (demo, median of 5 cold loads)", `${median(firstChart).toFixed(0)} ms`, "≤ 500 ms", median(firstChart) <= 500);
row("  of which: page and wasm loaded, app started", `${median(started).toFixed(0)} ms`, "—", true);
row("  app mounted (since page load)", `${median(mounted).toFixed(0)} ms`, "—", true);
row("  demo run started (since page load)", `${median(demoStart).toFixed(0)} ms`, "—", true);
row("  of which: demo market build in WASM", `${median(market).toFixed(0)} ms`, "—", true);
row("    the same build, warm (another delta, median of 3)", `${median(warm).toFixed(0)} ms`, "—", true);
row("  of which: the run (2025)", `${median(firstRun).toFixed(0)} ms`, "—", true);
row("  of which: results shown (set and rendered)", `${median(shown).toFixed(0)} ms`, "—", true);
row("    of which: drawing the price chart", `${median(drawn).toFixed(0)} ms`, "—", true);
row("5-year run, WASM (median of 7)", `${wasmRun.toFixed(1)} ms`, "—", true);
row("5-year run, native (criterion run_5y_demo)", `${nativeMs.toFixed(1)} ms`, "—", true);
row("WASM / native", `${(wasmRun / nativeMs).toFixed(2)}×`, "≤ 3×", wasmRun / nativeMs <= 3);
row("5-year run with 4 legs, WASM (median of 7)", `${wasmRun4.toFixed(1)} ms`, "—", true);
row("5-year run with 4 legs, native (criterion run_5y_demo_4_legs)", `${nativeMs4.toFixed(1)} ms`, "—", true);
row("4 legs / 1 leg, native", `${(nativeMs4 / nativeMs).toFixed(2)}×`, "≤ 2×", nativeMs4 / nativeMs <= 2);
row("4 legs, WASM / native", `${(wasmRun4 / nativeMs4).toFixed(2)}×`, "≤ 3×", wasmRun4 / nativeMs4 <= 3);
row("5-year run with 4 calls of one chain, WASM (median of 7)", `${wasmRun4c.toFixed(1)} ms`, "—", true);
row("5-year run with 4 calls of one chain, native (criterion run_5y_demo_4_call_legs)", `${nativeMs4c.toFixed(1)} ms`, "—", true);
row("4 calls / 1 leg, native", `${(nativeMs4c / nativeMs).toFixed(2)}×`, "≤ 2×", nativeMs4c / nativeMs <= 2);
row("4 calls, WASM / native", `${(wasmRun4c / nativeMs4c).toFixed(2)}×`, "≤ 3×", wasmRun4c / nativeMs4c <= 3);
row("wasm size", `${(wasmBytes / 1e6).toFixed(2)} MB (${(wasmGzip / 1e6).toFixed(2)} MB gzipped)`, "≤ 1.3 MB", wasmBytes <= 1.3e6);
