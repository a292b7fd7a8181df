// The static-site recipe: a build for a sub-path (`trunk build --public-url /deltaroll/`,
// made by scripts/e2e) served under /deltaroll/ with the headers of
// deploy/static-site/_headers runs the demo, registers its worker there, gets the wasm as
// application/wasm, and cannot be framed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { browser, env, open, results } from "./helpers.mjs";

const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};

/// `_headers` as [pattern, [[name, value]…]] blocks.
async function headerRules() {
  const text = await readFile(new URL("../../deploy/static-site/_headers", import.meta.url), "utf8");
  const rules = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    if (!/^\s/.test(line)) rules.push([line.trim(), []]);
    else rules.at(-1)[1].push(line.trim().split(/:\s*(.*)/s).slice(0, 2));
  }
  return rules;
}

const matches = (pattern, path) => (pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

let server;
let base;
let b;

/// Serves the sub-path build under /deltaroll/ with the recipe's headers, and a page that
/// tries to frame it.
async function serve(root, rules) {
  return createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/embed.html") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end('<!doctype html><iframe src="/deltaroll/" width="600" height="400"></iframe>');
    }
    let file = normalize(join(root, path));
    if (!path.startsWith("/deltaroll/") || !file.startsWith(root)) {
      res.writeHead(404);
      return res.end();
    }
    if (path.endsWith("/")) file = join(file, "index.html");
    try {
      await stat(file);
    } catch {
      res.writeHead(404);
      return res.end();
    }
    const site = path.slice("/deltaroll".length);
    const page = site === "/" ? "/index.html" : site;
    const headers = { "content-type": TYPES[extname(file)] || "application/octet-stream" };
    for (const [pattern, pairs] of rules) {
      if (matches(pattern, page)) for (const [name, value] of pairs) headers[name.toLowerCase()] = value;
    }
    res.writeHead(200, headers);
    res.end(await readFile(file));
  });
}

before(async () => {
  server = await serve(env("E2E_SUBPATH_ROOT"), await headerRules());
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}/deltaroll/`;
  b = await browser();
});

after(async () => {
  await b?.close();
  server?.close();
});

test("the site runs from a sub-path with the recipe's headers", async () => {
  const failed = [];
  const { context, page, problems } = await open(b, { base, query: "?src=demo" });
  page.on("response", (r) => r.status() >= 400 && failed.push(r.url()));
  assert.match(await results(page), /SIMULATED/);
  const document = await page.request.get(base);
  assert.equal(document.headers()["content-security-policy"], "frame-ancestors 'none'");
  assert.equal(document.headers()["x-content-type-options"], "nosniff");
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, base, "the worker serves the sub-path");
  const wasmName = await page.$eval("script[data-wasm]", (s) => s.dataset.wasm);
  const wasm = await page.request.get(base + wasmName);
  assert.equal(wasm.headers()["content-type"], "application/wasm");
  assert.deepEqual(failed, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the site cannot be framed", async () => {
  const context = await b.newContext();
  const page = await context.newPage();
  await page.goto(new URL("/embed.html", base).href);
  await page.waitForTimeout(1000);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(frame, "the embedding page has its frame");
  assert.equal(await frame.$("#data-label"), null, "no app inside the frame");
  assert.equal(await frame.$("script[data-wasm]"), null, "the page was refused, not just slow");
  await context.close();
});
