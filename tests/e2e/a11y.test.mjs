// Accessibility audit: axe-core (from npm, evaluated in the page, so the page's CSP stays
// as it is) finds no serious or critical violation in the demo's results, the Databento
// tab with an estimate and the Files tab, at 1366×768 and 390 px. Each state is also saved
// as a screenshot (viewport and full page) under $E2E_ARTIFACTS (default
// target/e2e-screens/) for a reviewer.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { audit, browser, env, open, results, useDatabento } from "./helpers.mjs";

const SCREENS = process.env.E2E_ARTIFACTS || "target/e2e-screens";
const SIZES = [
  [1366, 768],
  [390, 844],
];

let b;
before(async () => {
  b = await browser();
  mkdirSync(SCREENS, { recursive: true });
});
after(async () => b?.close());

async function screens(page, name) {
  const { width } = page.viewportSize();
  await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`) });
  await page.screenshot({ path: join(SCREENS, `${name}-${width}-full.png`), fullPage: true });
}

for (const [width, height] of SIZES) {
  test(`the demo's results pass the audit at ${width} px`, async () => {
    const { context, page, problems } = await open(b, { width, height });
    await results(page);
    await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
    // With a chart's data table open, as a reader of the numbers would have it.
    await page.locator("button.table-toggle").first().click();
    assert.deepEqual(await audit(page), []);
    await screens(page, "demo");
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`the Databento tab with an estimate passes the audit at ${width} px`, async () => {
    const { context, page, problems } = await open(b, { width, height, query: "?src=databento&start_date=2025-01-01&end_date=2025-03-31" });
    await useDatabento(page, env("E2E_FAKE"));
    await page.click("#run");
    await page.waitForSelector("#estimate", { timeout: 60_000 });
    assert.deepEqual(await audit(page), []);
    await screens(page, "databento-estimate");
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`the Files tab passes the audit at ${width} px`, async () => {
    const { context, page, problems } = await open(b, { width, height, query: "?src=files&start_date=2025-01-01&end_date=2025-02-28" });
    await page.waitForSelector("#files", { state: "attached" });
    assert.deepEqual(await audit(page), []);
    await screens(page, "files");
    assert.deepEqual(problems, []);
    await context.close();
  });
}
