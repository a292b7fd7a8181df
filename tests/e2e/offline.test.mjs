// After one visit the service worker has the app: a reload with the network off opens it
// and runs the demo.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { browser, ink, open, results } from "./helpers.mjs";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

test("the app reloads and runs offline after the first visit", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve));
    }
  });
  await context.setOffline(true);
  await page.reload();
  assert.match(await results(page), /SIMULATED/);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  assert.ok((await ink(page, "#chart-prices")) > 0.03);
  assert.deepEqual(problems, []);
  await context.close();
});
