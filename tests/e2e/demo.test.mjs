// The demo: first visit runs the default strategy on the simulated market and draws the
// charts; downloads are the core's bytes; share links restore the form and the results.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { browser, download, expected, ink, open, query, results } from "./helpers.mjs";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

test("first visit runs the demo and draws five non-blank charts", async () => {
  const { context, page, problems } = await open(b);
  const label = await results(page);
  assert.match(label, /SIMULATED demo market/);
  assert.match(await page.textContent(".summary"), /^2025-01-01 to 2025-12-31: 14 of 14 rolls/);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  for (const id of ["#chart-prices", "#chart-options", "#chart-deltas", "#chart-ivs", "#chart-pnl"]) {
    const share = await ink(page, id);
    assert.ok(share > 0.03 && share < 0.7, `${id}: ${share} of the pixels inked`);
  }
  // The table lists the 13 rolls whose option is held in 2025 (not November 2024's, whose
  // option expired in December).
  assert.equal(await page.locator("#rolls tbody tr").count(), 13);
  assert.match(await page.textContent("#rolls-count"), /^13 of 14 rolls/);
  assert.match(await page.textContent("#pnl-total"), /^−?\$[\d,]+\.\d\d$/);
  // The simulated market has no gaps: a held option always has a settlement.
  assert.equal(await page.locator("#warnings li").count(), 0);
  assert.match(await page.textContent("section.results"), /Warnings \(0\)/);
  // Hover readout: the date and the values under the pointer.
  const box = await page.locator("#chart-prices").boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = await page.textContent(".readout");
  assert.match(readout, /^2025-\d\d-\d\d/);
  assert.match(readout, /Front-month futures HO[FGHJKMNQUVXZ]\d: \d\.\d{4} USD\/gal/);
  // A swatch per line: black futures, each option in its colour, the P&L in green.
  const lines = await page.locator(".readout li").count();
  assert.ok(lines >= 3, `${lines} readout lines`);
  assert.equal(await page.locator(".readout li .swatch").count(), lines);
  assert.deepEqual(problems, []);
  await context.close();
});

test("each chart has a keyboard-reachable data table; the IV axis can show all", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  assert.equal(await page.locator("figure.chart").count(), 5);
  assert.equal(await page.locator("button.table-toggle").count(), 5);
  const toggle = page.locator("#chart-options").locator("xpath=ancestor::figure").locator("button.table-toggle");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.focus();
  await page.keyboard.press("Enter");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  const table = page.locator("#chart-options-table table");
  assert.match(await table.locator("thead").textContent(), /Date.*Option.*¢\/gal.*Price date/);
  assert.ok((await table.locator("tbody tr").count()) > 200);
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#chart-options-table table").count(), 0);
  // The IV chart's "show all" redraws the same canvas (checked or not, it stays inked).
  const ivs = page.locator("#chart-ivs").locator("xpath=ancestor::figure");
  const control = ivs.locator(".chart-control input");
  if (await ivs.locator(".chart-control:not(.hidden)").count()) {
    const before = await page.$eval("#chart-ivs", (c) => c.toDataURL());
    await control.check();
    await page.waitForFunction((b) => document.querySelector("#chart-ivs").toDataURL() !== b, before);
    assert.ok((await ink(page, "#chart-ivs")) > 0.03);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a roll's row highlights its option on the charts, and a chart's date lights up the rows held then", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  const row = page.locator("#rolls tbody tr").nth(3);
  const plain = await page.$eval("#chart-options", (c) => c.toDataURL());
  await row.hover();
  assert.match(await row.getAttribute("class"), /highlight/);
  await page.waitForFunction((b) => document.querySelector("#chart-options").toDataURL() !== b, plain);
  // Click keeps it highlighted after the pointer leaves; clicking again (or Enter) releases it.
  await row.click();
  await page.mouse.move(0, 0);
  assert.match(await row.getAttribute("class"), /highlight/);
  await row.focus();
  await page.keyboard.press("Enter");
  assert.doesNotMatch((await row.getAttribute("class")) ?? "", /highlight/);
  await page.locator("#chart-options").hover();
  await page.waitForSelector("#rolls tbody tr.at-cursor", { state: "attached", timeout: 5000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("the downloads are exactly the core's bytes for the same spec", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  const q = await query(page);
  const wide = await download(page, "[data-download=wide]");
  assert.equal(wide.name, "deltaroll-HO-call-0.15-2025-01-01_2025-12-31-wide.csv");
  assert.ok(wide.bytes.toString().startsWith("timestamp,Futures_Price,OHG5 C"));
  assert.ok(wide.bytes.equals(expected(q, "wide")), "wide CSV differs from the core's");
  const tidy = await download(page, "[data-download=tidy]");
  assert.ok(tidy.bytes.equals(expected(q, "tidy")), "tidy CSV differs from the core's");
  const pnl = await download(page, "[data-download=pnl]");
  assert.ok(pnl.bytes.toString().startsWith("date,long 1 call 0.15,total,cumulative\n2025-01-02,"));
  assert.ok(pnl.bytes.equals(expected(q, "pnl")), "P&L CSV differs from the core's");
  const json = await download(page, "[data-download=json]");
  assert.ok(json.bytes.equals(expected(q, "json")), "manifest differs from the core's");
  assert.match(JSON.parse(json.bytes).data_source, /SIMULATED/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the wide CSV's dates and unit are settings that ride in the link", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  const client = await download(page, "[data-download=wide]");
  await page.selectOption("#dates", "iso");
  await page.selectOption("#option_unit", "quote");
  const q = await query(page);
  assert.ok(q.endsWith("&dates=iso&option_unit=quote"), q);
  assert.equal(await page.locator("#stale").count(), 0, "the run itself did not change");
  const wide = await download(page, "[data-download=wide]");
  assert.ok(wide.bytes.equals(expected(q, "wide")), "the core's bytes for these settings");
  assert.ok(!wide.bytes.equals(client.bytes));
  assert.match(wide.bytes.toString().split("\n")[1], /^2025-01-02,\d\.\d+,0\.\d+,/, "ISO dates, dollars");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a share link restores the form and the results, and gives the same CSV", async () => {
  const link =
    "?src=demo&start_date=2022-03-01&end_date=2022-08-31&delta=0.25&band=0.03&months_ahead=3&option_type=put&price_source=close&vol_source=hist%3A30&rate=0.05&delta_convention=forward";
  // A link from before the settings table: older names, and settings at their defaults.
  const old =
    "?src=demo&fut=HO&opt=OH&start=2022-03-01&end=2022-08-31&delta=0.25&band=0.03&k=3&kind=put&price=close&vol=hist%3A30&rate=0.05&conv=forward";
  const first = await open(b, { query: old });
  await results(first.page);
  assert.equal(await first.page.inputValue("#start_date"), "2022-03-01");
  assert.equal(await first.page.inputValue("#delta"), "0.25");
  assert.equal(await first.page.inputValue("#option_type"), "put");
  assert.equal(await first.page.inputValue("#vol_source"), "hist");
  assert.equal(await first.page.inputValue("#vol_source-param"), "30");
  assert.equal(await first.page.inputValue("#delta_convention"), "forward");
  assert.equal(await query(first.page), link.slice(1), "an old link opens and is rewritten with the new names");
  const a = await download(first.page, "[data-download=wide]");
  await first.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await first.page.click("#copy-link");
  await first.page.waitForSelector("#copy-link:has-text('Link copied')");
  const copied = await first.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, first.page.url(), "the copied link is the page's");
  await first.context.close();
  const second = await open(b, { query: link });
  await results(second.page);
  const again = await download(second.page, "[data-download=wide]");
  assert.ok(a.bytes.equals(again.bytes), "same link, same bytes");
  assert.ok(a.bytes.equals(expected(link.slice(1))), "and they are the core's");
  await second.context.close();
});

test("editing the form updates the link and explains invalid input next to the field", async () => {
  const { context, page } = await open(b);
  await results(page);
  await page.fill("#delta", "1.5");
  await page.fill("#months_ahead", "5");
  assert.match(await page.textContent("label:has(#delta) .field-msg"), /strictly between 0 and 1/);
  assert.ok(await page.isDisabled("#run"));
  assert.match(await page.textContent("#run-blocked"), /Run is disabled/);
  assert.match(await query(page), /delta=1\.5/);
  await page.fill("#delta", "0.2");
  assert.match(await page.textContent("label:has(#months_ahead) .field-msg"), /only 3 months ahead/);
  assert.ok(await page.isDisabled("#run"));
  await page.fill("#months_ahead", "2");
  assert.ok(!(await page.isDisabled("#run")));
  assert.match(await page.textContent("#stale"), /earlier settings/);
  await page.click("#run");
  await page.waitForSelector("#stale", { state: "detached" });
  await context.close();
});

test("readable on a 360 px phone: no horizontal page scroll, charts fill the width", async () => {
  const { context, page } = await open(b, { width: 360 });
  await results(page);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  const canvas = await page.locator("#chart-prices").boundingBox();
  assert.ok(canvas.width > 280, `chart is ${canvas.width}px wide`);
  assert.ok((await ink(page, "#chart-prices")) > 0.03);
  await context.close();
});
