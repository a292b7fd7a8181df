// After one visit the service worker has the app: a reload with the network off opens it
// and runs the demo. Each build has its own cache, which replaces the others; only `ok`
// answers are cached.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { browser, ink, open, results } from "./helpers.mjs";

/// Wait until the page's service worker controls it.
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve));
    }
  });
}

/// Poll `probe` in the page (bounded) until it returns something truthy, and return that.
async function until(page, probe, arg, what) {
  for (let i = 0; i < 200; i++) {
    const value = await page.evaluate(probe, arg);
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

test("the app reloads and runs offline after the first visit", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  await controlled(page);
  await context.setOffline(true);
  await page.reload();
  assert.match(await results(page), /SIMULATED/);
  await page.waitForFunction(() => window["deltaroll:first-chart"] !== undefined);
  assert.ok((await ink(page, "#chart-prices")) > 0.03);
  assert.deepEqual(problems, []);
  await context.close();
});

test("each build caches in its own cache, only ok answers, and a new build deletes the old caches", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  await controlled(page);
  const wasm = await page.$eval("script[data-wasm]", (s) => s.dataset.wasm);
  assert.match(wasm, /_bg\.wasm$/);
  const mine = `deltaroll:${wasm}`;
  assert.deepEqual(await page.evaluate(() => caches.keys()), [mine]);
  assert.ok(await page.evaluate(([name, url]) => caches.open(name).then((c) => c.match(url)).then(Boolean), [mine, wasm]));

  // Through the worker: an ok answer is cached, a 404 is not.
  assert.equal(await page.evaluate(() => fetch("icon.svg?probe=1").then((r) => r.status)), 200);
  assert.equal(await page.evaluate(() => fetch("no-such-file.js").then((r) => r.status)), 404);
  await until(page, (name) => caches.open(name).then((c) => c.match("icon.svg?probe=1")).then(Boolean), mine, "the ok answer in the cache");
  assert.equal(await page.evaluate((name) => caches.open(name).then((c) => c.match("no-such-file.js")).then(Boolean), mine), false);

  // A later build (another wasm name) brings its own cache, with the page in it, and the old one goes.
  await page.evaluate(() => caches.open("deltaroll-v1").then((c) => c.put("stale", new Response("old"))));
  await page.evaluate(() => navigator.serviceWorker.register("sw.js?build=next-build"));
  const keys = await until(
    page,
    () => caches.keys().then((k) => (k.length === 1 && k[0] === "deltaroll:next-build" ? k : null)),
    null,
    "the new build's cache to replace the others",
  );
  assert.deepEqual(keys, ["deltaroll:next-build"]);
  assert.ok(await page.evaluate(() => caches.open("deltaroll:next-build").then((c) => c.match(location.href.split("?")[0])).then(Boolean)));
  assert.deepEqual(problems, []);
  await context.close();
});
