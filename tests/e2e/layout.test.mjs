// Layout and reading aids: the run bar stays in view, Enter and the out-of-date banner run,
// each setting has a `?`, the charts share a date range (buttons, date boxes, a drag), the
// rolls table sorts and keeps its date column in view, new results are announced and the
// source tabs' focus ring stands out.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { browser, env, open, results, useDatabento } from "./helpers.mjs";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

const CHARTS = ["#chart-prices", "#chart-options", "#chart-deltas", "#chart-ivs", "#chart-pnl"];
const TWO_YEARS = "?src=demo&start_date=2024-01-01&end_date=2025-12-31";

/// Whether `selector` lies wholly inside the viewport.
async function inView(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const { width, height } = page.viewportSize();
  return box !== null && box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width;
}

/// Every chart's drawn dates (`from/to`), once all are drawn.
async function ranges(page) {
  await page.waitForFunction((ids) => ids.every((id) => document.querySelector(id)?.dataset.range), CHARTS);
  return Promise.all(CHARTS.map((id) => page.getAttribute(id, "data-range")));
}

/// Wait until every chart draws one range different from `before`, and return it.
async function rangeChanged(page, before) {
  await page.waitForFunction(
    ({ ids, before }) => {
      const r = ids.map((id) => document.querySelector(id)?.dataset.range);
      return r.every((x) => x && x === r[0]) && r[0] !== before;
    },
    { ids: CHARTS, before },
  );
  const all = await ranges(page);
  assert.ok(all.every((r) => r === all[0]), `the charts share one range: ${all}`);
  return all[0].split("/");
}

for (const [width, height] of [
  [1366, 768],
  [390, 844],
]) {
  test(`the Run and Estimate buttons stay in view at ${width}×${height}`, async () => {
    const { context, page, problems } = await open(b, { width, height });
    await results(page);
    assert.ok(await inView(page, "#run"), "Run is in view on arrival");
    for (const field of ["#product", "#months_ahead", "#option_unit"]) {
      await page.locator(field).scrollIntoViewIfNeeded();
      assert.ok(await inView(page, "#run"), `Run is in view with ${field} on screen`);
    }
    await useDatabento(page, env("E2E_FAKE"));
    await page.locator("#delta").scrollIntoViewIfNeeded();
    assert.equal(await page.textContent("#run"), "Estimate cost");
    assert.ok(await inView(page, "#run"), "Estimate is in view");
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("Enter in a field runs, and the out-of-date banner has a Run button", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  const before = await page.textContent("#announce");
  assert.match(before, /^New results\. 2025-01-01 to 2025-12-31/);
  assert.equal(await page.getAttribute("#announce", "aria-live"), "polite");
  assert.equal(await page.getAttribute("#error", "aria-live"), "assertive");
  await page.fill("#end_date", "2025-06-30");
  await page.waitForSelector("#stale");
  await page.focus("#end_date");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#stale", { state: "detached" });
  assert.match(await page.textContent(".summary"), /^2025-01-01 to 2025-06-30/);
  assert.match(await page.textContent("#announce"), /^New results\. 2025-01-01 to 2025-06-30/);
  await page.fill("#band", "0.03");
  await page.waitForSelector("#stale");
  await page.click("#stale-run");
  await page.waitForSelector("#stale", { state: "detached" });
  assert.equal(await page.inputValue("#band"), "0.03");
  // An invalid form does not run on Enter.
  await page.fill("#delta", "2");
  await page.focus("#delta");
  await page.keyboard.press("Enter");
  assert.ok(await page.isDisabled("#run"));
  assert.match(await page.textContent("#run-blocked"), /delta/i);
  assert.match(await page.textContent(".summary"), /^2025-01-01 to 2025-06-30/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("each setting has a one-line help reachable from the keyboard", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  const settings = await page.locator(".setting").count();
  assert.equal(await page.locator(".setting .help-q").count(), settings);
  for (const [key, words] of [
    ["months_ahead", /roll rule: on the first trade date of each month/i],
    ["band", /flagged.*never skipped/],
    ["vol_source", /implied vol|historical vol/],
    ["delta_convention", /N\(d1\)/],
  ]) {
    assert.equal(await page.getAttribute(`#${key}`, "aria-describedby"), `${key}-help`);
    const tip = page.locator(`#${key}-help`);
    assert.equal(await tip.getAttribute("role"), "tooltip");
    assert.match(await tip.textContent(), words);
    assert.doesNotMatch(await tip.textContent(), /`/);
    assert.ok(!(await tip.isVisible()));
    // Tab from the field reaches its `?`, which shows the help; Escape hides it.
    await page.focus(`#${key}`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-describedby"));
    assert.equal(focused, `${key}-help`);
    assert.ok(await tip.isVisible(), `${key}: the tooltip shows on focus`);
    await page.keyboard.press("Escape");
    assert.ok(!(await tip.isVisible()), `${key}: Escape hides it`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the charts share a date range set by buttons, date boxes or a drag; the rolls follow it", async () => {
  const { context, page, problems } = await open(b, { query: TWO_YEARS });
  await results(page);
  const [from, to] = (await ranges(page))[0].split("/");
  assert.ok(from <= "2024-01-02" && to === "2025-12-31", `${from}/${to}`);
  const allRolls = await page.locator("#rolls tbody tr").count();
  // 1Y from the keyboard.
  await page.focus("[data-zoom='1Y']");
  await page.keyboard.press("Enter");
  const [y1, y2] = await rangeChanged(page, `${from}/${to}`);
  assert.ok(y1 >= "2024-12-31" && y1 <= "2025-01-02" && y2 === "2025-12-31", `${y1}/${y2}`);
  assert.equal(await page.getAttribute("[data-zoom='1Y']", "aria-pressed"), "true");
  assert.equal(await page.inputValue("#zoom-from"), "2024-12-31");
  const yearRolls = await page.locator("#rolls tbody tr").count();
  assert.ok(yearRolls < allRolls, `${yearRolls} of ${allRolls} rolls listed`);
  assert.match(await page.textContent("#zoom-label"), /show 2024-12-31 to 2025-12-31 \(of 2024-01-0\d to 2025-12-31\)/);
  // A drag across the middle of one chart zooms all of them to the dragged dates.
  const box = await page.locator("#chart-options").boundingBox();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.65, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const [d1, d2] = await rangeChanged(page, `${y1}/${y2}`);
  assert.ok(d1 > y1 && d2 < y2, `dragged ${d1}/${d2} inside ${y1}/${y2}`);
  for (const date of await page.locator("#rolls tbody th").allTextContents()) assert.ok(date <= d2, date);
  // A typed start moves that end.
  await page.fill("#zoom-from", "2025-02-01");
  await page.dispatchEvent("#zoom-from", "change");
  const [t1, t2] = await rangeChanged(page, `${d1}/${d2}`);
  assert.ok(t1 >= "2025-02-01" && t1 <= "2025-02-03" && t2 === d2, `${t1}/${t2}`);
  // All goes back to the whole range.
  await page.click("[data-zoom='All']");
  const [a1, a2] = await rangeChanged(page, `${t1}/${t2}`);
  assert.deepEqual([a1, a2], [from, to]);
  assert.equal(await page.locator("#rolls tbody tr").count(), allRolls);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the rolls table sorts by any column and keeps its date column in view on a phone", async () => {
  const { context, page, problems } = await open(b, { width: 390, height: 844 });
  await results(page);
  const pnlHeader = page.locator("#rolls thead th", { hasText: "P&L" });
  assert.equal(await pnlHeader.getAttribute("aria-sort"), "none");
  assert.equal(await page.getAttribute("#rolls thead th:first-child", "aria-sort"), "ascending");
  const values = async () =>
    // P&L is the last sortable column (the Chain buttons come after it).
    (await page.locator("#rolls tbody td:nth-last-child(2)").allTextContents())
      .filter((t) => t !== "—")
      .map((t) => Number(t.replace("−", "-").replace(/[$,]/g, "")));
  await pnlHeader.locator("button").click();
  assert.equal(await pnlHeader.getAttribute("aria-sort"), "ascending");
  assert.equal(await page.getAttribute("#rolls thead th:first-child", "aria-sort"), "none");
  const up = await values();
  assert.ok(up.length > 5 && up.every((v, i) => i === 0 || up[i - 1] <= v), `${up}`);
  await pnlHeader.locator("button").focus();
  await page.keyboard.press("Enter");
  assert.equal(await pnlHeader.getAttribute("aria-sort"), "descending");
  const down = await values();
  assert.deepEqual(down, [...up].reverse());
  // An open data table scrolls in its box: the page does not get wider than the phone.
  await page.locator("button.table-toggle").first().click();
  await page.waitForSelector(".data-table table");
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, "no sideways scrolling");
  // Scrolled sideways, the date column stays at the table's left edge.
  const wrap = page.locator(".table-wrap");
  const left = (await wrap.boundingBox()).x;
  await wrap.evaluate((w) => (w.scrollLeft = 400));
  assert.ok((await wrap.evaluate((w) => w.scrollLeft)) > 100, "the table is wider than a phone");
  const date = (await page.locator("#rolls tbody th").first().boundingBox()).x;
  assert.ok(Math.abs(date - left) <= 2, `date cell at ${date}, table at ${left}`);
  assert.deepEqual(problems, []);
  await context.close();
});

/// WCAG contrast ratio of two `rgb(...)` colours.
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test("the source tabs' focus ring reaches 3:1 against what it sits on", async () => {
  const { context, page, problems } = await open(b);
  await results(page);
  for (const name of ["Demo", "Files"]) {
    const tab = page.locator("label.tab", { hasText: name });
    await tab.locator("input").focus();
    const style = await tab.evaluate((t) => {
      const s = getComputedStyle(t);
      const parent = getComputedStyle(t.parentElement.closest(".panel"));
      const clear = (c) => c === "rgba(0, 0, 0, 0)" || c === "transparent";
      const bg = clear(s.backgroundColor) ? parent.backgroundColor : s.backgroundColor;
      return { ring: s.outlineColor, width: s.outlineWidth, inner: s.boxShadow, bg, panel: parent.backgroundColor };
    });
    assert.equal(style.width, "2px");
    const inner = style.inner.match(/rgba?\([^)]*\)/)[0];
    // The dark ring against the white around the tabs, the white inner ring against the
    // tab's own colour (blue when active).
    assert.ok(contrast(style.ring, style.panel) >= 3, `${name}: ring ${style.ring} on ${style.panel}`);
    assert.ok(contrast(inner, style.bg) >= 3 || contrast(style.ring, style.bg) >= 3, `${name}: on ${style.bg}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
