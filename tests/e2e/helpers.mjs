// Shared by the end-to-end tests: the browser (Debian's Chromium, never a downloaded one),
// the servers scripts/e2e started, and small waits.
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const KEY = "db-TESTKEY0000000000000000000000";

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through scripts/e2e`);
  return value;
}

export const app = () => env("E2E_APP");

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/// A page that fails the test on uncaught errors and CSP violations.
export async function open(b, { width = 1280, height = 900, query = "", base = app() } = {}) {
  const context = await b.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|panicked/.test(m.text())) problems.push(m.text());
  });
  await page.goto(base + query);
  return { context, page, problems };
}

/// Wait until the results show a data label, and return it.
export async function results(page, timeout = 120_000) {
  await page.waitForSelector("#data-label", { timeout });
  return page.textContent("#data-label");
}

/// Share of non-white pixels on a canvas.
export async function ink(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { width, height } = canvas;
    const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) inked++;
    return inked / (width * height);
  });
}

/// The bytes of a download started by clicking `selector`.
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/// What the native core writes for the demo run a share link describes.
export function expected(query, format = "wide") {
  return execFileSync(env("E2E_EXPORT_BIN"), [query, format], { maxBuffer: 64 << 20 });
}

/// The current share link's query (without `?`).
export async function query(page) {
  return (await page.evaluate(() => location.search)).replace(/^\?/, "");
}

/// Select the Databento source and type the test key and a gateway.
export async function useDatabento(page, gateway, key = KEY) {
  await page.click("label.tab:has-text('Databento')");
  await page.fill("#api-key", key);
  await page.click("details.advanced summary");
  await page.fill("#gateway", gateway);
}

/// Wait for the error area to say something, and return it.
export async function errorText(page, timeout = 60_000) {
  await page.waitForSelector("#error:not(.hidden) p", { timeout });
  return page.textContent("#error");
}

/// Serious and critical violations on the page as it is, one line each.
export async function audit(page) {
  await page.evaluate(AXE);
  const { passes, violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  assert.ok(passes.length > 20, `axe checked the page (${passes.length} rules passed)`);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}
