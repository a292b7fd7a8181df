// Legs: the short-strangle preset fills the leg editor, the run on the demo shows both legs
// (their P&L columns in the CSV, their curves in the P&L chart's table, their rolls), the
// link carries the legs, and every download is the core's bytes for that link.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { browser, download, expected, open, query, results } from "./helpers.mjs";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

test("the short-strangle preset runs both legs on the demo", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  // An old-style form: one long leg, from the option type, delta and months ahead.
  assert.equal(await page.locator(".legs-table tbody tr").count(), 1);
  assert.equal(await page.inputValue("#leg-1-side"), "long");
  assert.ok(await page.isDisabled("#leg-1-remove"), "the last leg stays");
  // The editor is a table: it spans its group's grid rather than one column of it.
  const editor = await page.locator(".legs").boundingBox();
  const group = await page.locator(".legs").locator("xpath=ancestor::div[contains(@class,'fields')]").boundingBox();
  assert.ok(editor.width > 0.9 * group.width, `${editor.width} of ${group.width}`);

  await page.click("#preset-short-strangle");
  assert.equal(await page.locator(".legs-table tbody tr").count(), 2);
  assert.equal(await page.inputValue("#leg-1-side"), "short");
  assert.equal(await page.inputValue("#leg-1-kind"), "call");
  assert.equal(await page.inputValue("#leg-2-kind"), "put");
  assert.equal(await page.inputValue("#leg-2-delta"), "0.15");
  const q = await query(page);
  assert.ok(q.includes("legs=short%3Acall%3A0.15%3A2%2Cshort%3Aput%3A0.15%3A2"), q);

  await page.click("#run");
  await page.waitForSelector("#stale", { state: "detached" });
  await results(page);
  // 14 roll months for each leg; the table lists the 13 whose options are held in the range
  // (November 2024's expire before it).
  assert.match(await page.textContent("#rolls-count"), /^26 of 28 rolls/);
  assert.equal(await page.locator("#rolls tbody tr").count(), 26);
  const legs = await page.locator("#rolls tbody td.leg").allTextContents();
  assert.deepEqual(legs.slice(0, 2), ["short 1 call 0.15", "short 1 put 0.15"]);
  assert.match(await page.textContent("#rolls"), /OH[A-Z]\d P\d+/, "the put leg's options");
  assert.match(await page.textContent("#pnl-total"), /^−?\$[\d,]+\.\d\d$/);

  // The P&L chart's data: the total and each leg's cumulative P&L.
  const toggle = page.locator("#chart-pnl").locator("xpath=ancestor::figure").locator("button.table-toggle");
  await toggle.click();
  const head = await page.locator("#chart-pnl-table table thead").textContent();
  assert.match(head, /Date.*Cumulative P&L.*short 1 call 0\.15.*short 1 put 0\.15/);

  const pnl = await download(page, "[data-download=pnl]");
  assert.ok(pnl.bytes.toString().startsWith("date,short 1 call 0.15,short 1 put 0.15,total,cumulative\n"));
  for (const format of ["wide", "tidy", "pnl", "json"]) {
    const file = format === "pnl" ? pnl : await download(page, `[data-download=${format}]`);
    assert.ok(file.bytes.equals(expected(q, format)), `${format} differs from the core's`);
  }

  // Add and remove legs: up to eight.
  for (let i = 0; i < 8; i++) await page.click("#leg-add").catch(() => {});
  assert.equal(await page.locator(".legs-table tbody tr").count(), 8);
  assert.ok(await page.isDisabled("#leg-add"));
  await page.click("#leg-3-remove");
  assert.equal(await page.locator(".legs-table tbody tr").count(), 7);
  await page.fill("#leg-2-delta", "1.5");
  assert.match(await page.textContent(".legs"), /Leg 2 \(short:put:1\.5:2\): the target delta must be strictly between 0 and 1/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a link with legs opens them in the editor", async () => {
  const link = "?src=demo&start_date=2025-01-01&end_date=2025-06-30&legs=long%3Acall%3A0.1%3A2%2Clong%3Acall%3A0.25%3A3%3A2";
  const { context, page, problems } = await open(b, { query: link });
  await results(page);
  assert.equal(await page.locator(".legs-table tbody tr").count(), 2);
  assert.equal(await page.inputValue("#leg-2-delta"), "0.25");
  assert.equal(await page.inputValue("#leg-2-k"), "3");
  assert.equal(await page.inputValue("#leg-2-qty"), "2");
  const pnl = await download(page, "[data-download=pnl]");
  assert.ok(pnl.bytes.toString().startsWith("date,long 1 call 0.1,long 2 call 0.25,total,cumulative\n"));
  assert.ok(pnl.bytes.equals(expected(link.slice(1), "pnl")));
  assert.deepEqual(problems, []);
  await context.close();
});
