// Files mode: dropped Databento exports are read in the browser; a corrupt one is named
// with what to do, exports fetched from fake-databento (JSON lines) run the strategy, and a
// real Databento export gives the bytes of the core's golden file.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { KEY, browser, download, env, errorText, open, results } from "./helpers.mjs";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

const LINK = "?src=files&start=2025-01-01&end=2025-02-28";

test("a corrupt file gives a clear error naming it", async () => {
  const { context, page } = await open(b, { query: LINK });
  assert.match(await page.textContent("#run-blocked"), /No files yet/);
  await page.setInputFiles("#files", {
    name: "broken.dbn",
    mimeType: "application/octet-stream",
    buffer: Buffer.concat([Buffer.from("DBN\x03"), Buffer.alloc(40, 7)]),
  });
  await page.waitForSelector(".files li");
  await page.click("#run");
  const text = await errorText(page);
  assert.match(text, /^broken\.dbn could not be read/);
  assert.match(text, /DBN, JSON lines or CSV, plain or zstd-compressed/);
  await context.close();
});

/// A JSON-lines export of `schema` for `symbols` (parent) over [start, end), as a user
/// would download it from Databento.
async function exportFile(schema, symbols, start, end) {
  const body = new URLSearchParams({
    dataset: "GLBX.MDP3",
    symbols,
    schema,
    start,
    end,
    stype_in: "parent",
    encoding: "json",
    pretty_px: "true",
    pretty_ts: "true",
    map_symbols: "true",
  });
  const response = await fetch(env("E2E_FAKE") + "/v0/timeseries.get_range", {
    method: "POST",
    headers: { authorization: "Basic " + Buffer.from(KEY + ":").toString("base64") },
    body,
  });
  assert.equal(response.status, 200, await response.clone().text());
  return { name: `${symbols}.${schema}.json`, mimeType: "application/json", buffer: Buffer.from(await response.arrayBuffer()) };
}

/// The four files a run reads, as a user would export them: the definitions and `prices`
/// (`statistics` or `ohlcv-1d`) of HO.FUT and of OH.OPT, from `start` to 2025-03-01 (the
/// prices one day longer).
async function runFiles(prices, start) {
  const files = [];
  for (const parent of ["HO.FUT", "OH.OPT"]) {
    files.push(await exportFile("definition", parent, start, "2025-03-01"));
    files.push(await exportFile(prices, parent, start, "2025-03-02"));
  }
  return files;
}

test("exported files run the strategy offline from the page", async () => {
  const files = await runFiles("statistics", "2024-11-01");
  const { context, page, problems } = await open(b, { query: LINK });
  await page.setInputFiles("#files", files);
  await page.waitForFunction(() => document.querySelectorAll(".files li").length === 4);
  await page.click("#run");
  assert.equal(await results(page), "Databento files");
  // December's to February's rolls hold an option in the range (November's expired before it).
  assert.ok((await page.locator("#rolls tbody tr").count()) >= 3);
  assert.match(await page.textContent("#rolls-count"), /of [4-9]\d* rolls/);
  assert.deepEqual(problems, []);
  await context.close();
});

const REAL = "../shared/data/databento/glbx-mdp3_ho-fut_oh-opt_ohlcv-1d_2025-01.jsonl";

test("a real Databento export gives the core's golden CSV in the browser", async (t) => {
  if (!existsSync(REAL)) return t.skip("SKIPPED: ../shared/data is absent");
  const { context, page, problems } = await open(b, { query: "?src=files&start=2025-01-01&end=2025-01-31&price=close" });
  await page.setInputFiles("#files", REAL);
  await page.waitForSelector(".files li");
  await page.click("#run");
  assert.equal(await results(page), "Databento files");
  assert.match(await page.textContent("#rolls"), /OHH5 C24000/);
  assert.match(await page.textContent("#warnings"), /outside 0\.15 ± 0\.02/, "thin real data is reported");
  assert.match(await page.textContent("#pricing-note"), /Settlements \(Databento's statistics schema\)/, "closes only: say why settlements matter");
  const wide = await download(page, "[data-download=wide]");
  const golden = readFileSync("crates/core/tests/golden/run_2025-01_close.wide.csv");
  assert.ok(wide.bytes.equals(golden), "the browser writes the native golden bytes");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Files tab says what each file holds and ticks what the run needs", async () => {
  const files = await runFiles("statistics", "2024-11-01");
  const { context, page, problems } = await open(b, { query: LINK });
  await page.setInputFiles("#files", files);
  await page.waitForSelector("#needs");
  const listed = await page.locator(".files li").allTextContents();
  assert.match(listed[1], /^HO\.FUT\.statistics\.json: settlements \(statistics\) · HOF5, HOG5, .* · 2024-1\d-\d\d to 2025-0[23]-\d\d \(\d/, listed[1]);
  assert.match(listed[2], /^OH\.OPT\.definition\.json: definitions \(definition\) · .*\d+ option\(s\)/, listed[2]);
  const needs = await page.locator("#needs li").allTextContents();
  assert.equal(needs.length, 3, needs.join("\n"));
  assert.equal(await page.locator("#needs li.ok").count(), 3, needs.join("\n"));
  assert.match(needs[0], /HO futures settlements from 2025-01-01 to 2025-02-28: settlements from/);
  assert.match(needs[1], /from the definitions of \d+ option\(s\)/);
  assert.match(needs[2], /the rolls before 2025-01-01 included: priced on every roll day, 2024-1/);
  assert.equal(await page.locator("#use-closes").count(), 0);

  // Chains only from the start on: the roll before it is missing, and the list says so.
  await page.setInputFiles("#files", await runFiles("statistics", "2025-01-01"));
  await page.waitForFunction(() => document.querySelector("#needs li.missing"));
  assert.match(await page.textContent("#needs li.missing"), /missing on 2024-\d\d-\d\d \(OH options on HO\w\d, before the start\)/);
  assert.ok(await page.isEnabled("#run"), "Run stays enabled");
  assert.deepEqual(problems, []);
  await context.close();
});

test("files with trade closes but no settlements offer the switch to closes, and then run", async () => {
  const files = await runFiles("ohlcv-1d", "2024-11-01");
  const { context, page, problems } = await open(b, { query: LINK });
  await page.setInputFiles("#files", files);
  await page.waitForSelector("#needs");
  assert.match(await page.textContent("#needs li:first-child"), /HO futures settlements .*: none in the files: add the statistics file of HO\.FUT/);
  assert.equal(await page.inputValue("#price_source"), "settlement");
  await page.click("#use-closes");
  assert.equal(await page.inputValue("#price_source"), "close");
  await page.waitForFunction(() => document.querySelectorAll("#needs li.ok").length === 3);
  assert.match(await page.textContent("#needs li:first-child"), /HO futures trade closes from 2025-01-01 to 2025-02-28: trade closes from/);
  assert.equal(await page.locator("#use-closes").count(), 0);
  await page.click("#run");
  assert.equal(await results(page), "Databento files");
  assert.deepEqual(problems, []);
  await context.close();
});
