// Why this strike: a roll's "Chain" button opens the chain of its roll day — every
// candidate strike, the chosen one highlighted and equal to the roll's option, the
// delta-versus-strike plot drawn with the chosen strike marked — by mouse and by keyboard
// (the focus moves to the chain's heading), without pinning the row; Close hides it.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { audit, browser, ink, open, results } from "./helpers.mjs";

const SCREENS = process.env.E2E_ARTIFACTS || "target/e2e-screens";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

/// Red pixels (the chosen strike's colour, rgb(200, 40, 40)) on a canvas.
async function red(page, selector) {
  return page.$eval(selector, (canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 180 && data[i + 1] < 80 && data[i + 2] < 80) n++;
    return n;
  });
}

test("a roll's chain shows its candidates, the chosen one highlighted, and the plot", async () => {
  const { page, problems } = await open(b);
  await results(page);
  assert.equal(await page.locator("#chain-panel").count(), 0, "closed until asked");
  const row = page.locator("#rolls tbody tr").filter({ hasText: /OH[A-Z]\d C\d+/ }).first();
  const cells = await row.locator("th, td").allTextContents();
  const [date, , contract, symbol, strike, , , delta] = cells;

  await row.locator("button.chain-open").click();
  await page.waitForSelector("#chain-panel");
  assert.equal(await row.locator("button.chain-open").getAttribute("aria-expanded"), "true");
  // Hovering highlights a row; the button must not pin it too.
  await page.mouse.move(1, 1);
  assert.equal(await row.getAttribute("class").then((c) => /highlight/.test(c ?? "")), false, "the button does not pin");
  assert.match(await page.textContent("#chain-h"), new RegExp(`${contract} calls on ${date}`));
  const candidates = page.locator("#chain-table tbody tr");
  assert.ok((await candidates.count()) > 5, "every candidate strike");
  const chosen = page.locator("#chain-table tbody tr.highlight");
  assert.equal(await chosen.count(), 1, "one chosen strike");
  assert.equal(await chosen.getAttribute("aria-current"), "true");
  const picked = await chosen.locator("th, td").allTextContents();
  assert.equal(picked[0], `${strike} (chosen)`);
  assert.equal(picked[1], symbol);
  assert.equal(picked[5], delta);
  assert.equal(picked[7], "", "the chosen one was not skipped");
  assert.match(await page.textContent("#chain-summary"), new RegExp(`^Chosen: ${symbol}`));
  // Every ranked candidate has its numbers; every skipped one a reason and no delta.
  for (const r of await candidates.all()) {
    const c = await r.locator("th, td").allTextContents();
    assert.equal(c[7] === "", c[5] !== "—", `${c}`);
  }

  await page.waitForSelector("#chain-plot[data-points]");
  assert.ok(Number(await page.getAttribute("#chain-plot", "data-points")) > 3);
  assert.ok((await ink(page, "#chain-plot")) > 0.02, "the plot is drawn");
  assert.ok((await red(page, "#chain-plot")) > 20, "the chosen strike is marked");
  assert.deepEqual(await audit(page), [], "the open chain passes the accessibility audit");
  mkdirSync(SCREENS, { recursive: true });
  await page.locator("#chain-panel").screenshot({ path: join(SCREENS, "chain-1280.png") });

  await page.click("#chain-close");
  await page.waitForSelector("#chain-panel", { state: "detached" });

  // By keyboard: Tab to a button, Enter opens its chain and leaves the row unpinned.
  const other = page.locator("#rolls tbody tr").filter({ hasText: /OH[A-Z]\d C\d+/ }).nth(1);
  await other.locator("button.chain-open").focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#chain-panel");
  const otherSymbol = (await other.locator("th, td").allTextContents())[3];
  assert.equal((await chosen.locator("th, td").allTextContents())[1], otherSymbol);
  assert.equal(await other.getAttribute("class").then((c) => /highlight/.test(c ?? "")), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "chain-h");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "chain-close");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#chain-panel", { state: "detached" });
  assert.deepEqual(problems, []);
});
