// Databento mode against fake-databento (small synthetic market, Sep 2024 – Jun 2025):
// the cost comes first and nothing billable is fetched before it; the run makes the planned
// requests; faults end in the right message or a correct result; the cache makes a re-run
// free and lets a shared link show its results without the key; the key never leaves
// memory unless asked and never enters a link.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { KEY, app, browser, download, env, errorText, open, query, results, useDatabento } from "./helpers.mjs";

const LINK = "?src=databento&start=2025-01-01&end=2025-03-31";

let b;
before(async () => (b = await browser()));
after(async () => b?.close());

/// Requests the page sends to `origin`, by path (CORS preflights excluded).
function record(page, origin) {
  const seen = [];
  page.on("request", (r) => {
    if (r.url().startsWith(origin) && r.method() !== "OPTIONS") seen.push(new URL(r.url()).pathname);
  });
  return seen;
}

/// The test link with the test key typed and requests going to `gateway`.
async function databentoPage(gateway) {
  const opened = await open(b, { query: LINK });
  await useDatabento(opened.page, gateway);
  return opened;
}

async function estimate(page) {
  await page.click("#run");
  await page.waitForSelector("#estimate", { timeout: 60_000 });
  const text = await page.textContent("#estimate");
  const planned = Number(text.match(/for (\d+) request/)[1]);
  return { text, planned };
}

test("the cost is shown first, then the run makes the planned requests", async () => {
  const fake = env("E2E_FAKE");
  const { context, page, problems } = await open(b, { query: LINK });
  // The link first looks in the cache ("Reading the cache…"), finds nothing, and waits.
  await page.waitForFunction(() => document.querySelector("#run")?.textContent === "Estimate cost");
  assert.match(await page.textContent("#run-blocked"), /No Databento API key/);
  const requests = record(page, fake);
  await useDatabento(page, fake);
  assert.match(await page.textContent(".advanced .warn"), /not to Databento/);
  const { text, planned } = await estimate(page);
  assert.match(text, /Estimated cost: \$\d+\.\d+ for \d+ request\(s\)/);
  assert.ok(planned >= 3, text);
  assert.ok(!requests.includes("/v0/timeseries.get_range"), "nothing billable before the estimate is accepted");
  assert.ok(requests.includes("/v0/metadata.get_cost"));
  assert.equal(await page.textContent("#run"), "Fetch and run");
  await page.click("#run");
  assert.equal(await results(page), "Databento");
  const ranges = requests.filter((p) => p === "/v0/timeseries.get_range").length;
  // Every roll of the run (the table lists those whose option is held in the range).
  const rolls = Number((await page.textContent("#rolls-count")).match(/of (\d+) rolls/)[1]);
  assert.equal(ranges, 2 + 2 * rolls + 1, `phase 1 (2) + 2 per roll (${rolls}) + 1 held batch`);
  assert.ok(ranges <= planned, `${ranges} requests, ${planned} planned`);
  assert.match(await page.textContent("#cache-size"), /[1-9]\d* response\(s\)/);
  assert.ok(!(await query(page)).includes("TESTKEY") && !(await query(page)).includes("gateway"));
  assert.deepEqual(problems, []);

  // A re-run of the same spec costs nothing and asks nothing: every body comes from
  // IndexedDB, so there is no estimate to confirm and no request at all.
  await page.fill("#delta", "0.16");
  await page.fill("#delta", "0.15");
  assert.equal(await page.textContent("#run"), "Estimate cost");
  // The page records when it shows a report (window["deltaroll:show"]).
  await page.evaluate(() => delete window["deltaroll:show"]);
  const before = requests.length;
  await page.click("#run");
  await page.waitForFunction(() => window["deltaroll:show"] !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.locator("#estimate").count(), 0, "no cost confirmation for a fully cached run");
  assert.deepEqual(requests.slice(before), [], "nothing sent: neither an estimate nor a fetch");
  assert.equal(await page.textContent("#run"), "Estimate cost");
  await page.click("text=Clear cache");
  await page.waitForFunction(() => /0 response\(s\)/.test(document.querySelector("#cache-size").textContent));
  await context.close();
});

test("a stand-in Databento cannot price is listed, the total says at least, and the fetch goes ahead", async () => {
  // Issue 9: this server cannot resolve HOF5, the phase-3 stand-in of a run from 2025-01-02.
  const { context, page, problems } = await open(b, { query: "?src=databento&start=2025-01-02&end=2025-02-28" });
  await useDatabento(page, env("E2E_FAKE_UNRESOLVED"));
  const { text } = await estimate(page);
  assert.match(text, /Estimated cost: at least \$\d+\.\d+ for 11 request\(s\) \(1 could not be priced, listed below\)/);
  const gaps = await page.locator("#unpriced li").allTextContents();
  assert.equal(gaps.length, 1, gaps.join("\n"));
  assert.match(gaps[0], /^statistics for HOF5 \(raw_symbol\), .+ — not priced: symbol not resolved for these dates$/);
  assert.equal(await page.locator("#error.hidden").count(), 1, "no error");
  assert.equal(await page.textContent("#run"), "Fetch and run");
  assert.ok(await page.isEnabled("#run"));
  await page.click("#run");
  assert.equal(await results(page), "Databento");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a refused key says so and what to do", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_BAD_KEY"));
  await page.click("#run");
  const text = await errorText(page);
  assert.match(text, /refused the API key \(HTTP 401/);
  assert.match(text, /API keys page/);
  assert.ok(!text.includes("TESTKEY"), "the key is never shown");
  await context.close();
});

test("a 429 storm is waited out and the run completes", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_RATE_LIMIT"));
  await estimate(page);
  await page.click("#run");
  assert.equal(await results(page), "Databento");
  assert.equal(await page.locator("#error.hidden").count(), 1);
  await context.close();
});

test("a 429 storm that does not stop ends in the rate-limit message", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_RATE_STORM"));
  await page.click("#run");
  const text = await errorText(page);
  assert.match(text, /rate-limiting these requests \(HTTP 429/);
  assert.match(text, /gave up after 5 attempt/);
  assert.match(text, /wait a minute and try again/);
  await context.close();
});

test("5xx answers are retried and the run completes", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_FLAKY"));
  await estimate(page);
  await page.click("#run");
  assert.equal(await results(page), "Databento");
  await context.close();
});

test("a server that stays down ends in the 5xx message after the retries", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_DOWN"));
  await page.click("#run");
  const text = await errorText(page);
  assert.match(text, /servers failed to answer the request for the date range of GLBX\.MDP3 \(HTTP 503/);
  assert.match(text, /5 time\(s\)/);
  assert.match(text, /status\.databento\.com/);
  assert.equal(await page.locator("#estimate").count(), 0);
  await context.close();
});

test("a truncated body is refused with a clear message and no result", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE_TRUNCATE"));
  await estimate(page);
  await page.click("#run");
  const text = await errorText(page);
  assert.match(text, /corrupt or cut short/);
  assert.equal(await page.locator("#data-label").count(), 0);
  await context.close();
});

test("a closed port fails at once: nothing answers, start the relay, set the gateway", async () => {
  const { context, page } = await databentoPage("http://127.0.0.1:9");
  const started = Date.now();
  await page.click("#run");
  const text = await errorText(page);
  const took = Date.now() - started;
  assert.ok(took < 3000, `failed after ${took} ms`);
  assert.match(text, /^Nothing answers at http:\/\/127\.0\.0\.1:9: the connection was refused/);
  assert.match(text, /the command is at the top of the Databento tab/);
  assert.match(text, /Set the gateway under Databento → Advanced/);
  await context.close();
});

/// A relay in front of `upstream` (CORS headers and all) that holds the requests `hold`
/// picks until `release()`.
async function holdingRelay(upstream, hold) {
  const held = [];
  const server = http.createServer((req, res) => {
    const go = () => {
      const target = new URL(req.url, upstream);
      const headers = { ...req.headers, host: target.host };
      const up = http.request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      req.pipe(up);
    };
    if (req.method !== "OPTIONS" && hold(req)) held.push(go);
    else go();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    release: () => held.splice(0).forEach((go) => go()),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test("the busy button says what runs, and Cancel says what was bought and is cached", async () => {
  let ranges = 0;
  let holdCosts = true;
  const relay = await holdingRelay(env("E2E_FAKE"), (req) => {
    if (req.url.startsWith("/v0/metadata.get_cost")) return holdCosts;
    return req.url.startsWith("/v0/timeseries.get_range") && ++ranges > 2;
  });
  const { context, page, problems } = await databentoPage(relay.url);
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#run").textContent === "Estimating…");
  assert.ok(await page.isDisabled("#run"));
  holdCosts = false;
  relay.release();
  await page.waitForSelector("#estimate", { timeout: 60_000 });
  const planned = Number((await page.textContent("#estimate")).match(/for (\d+) request/)[1]);
  await page.click("#run");
  await page.waitForFunction(() => /^Fetching… 2\/\d+$/.test(document.querySelector("#run").textContent));
  assert.equal(await page.textContent("#run"), `Fetching… 2/${planned}`);
  await page.click("#cancel");
  const status = await page.textContent("#run-status");
  assert.match(
    status,
    new RegExp(`^Cancelled after 2 of ${planned} requests; the 2 fetched \\(\\$\\d+\\.\\d+ as estimated\\) are cached and will not be billed again\\.$`),
  );
  assert.equal(await page.textContent("#run"), "Estimate cost");
  assert.deepEqual(problems, []);
  await context.close();
  relay.close();
});

test("dates before Databento's data are explained and block the run", async () => {
  const { context, page } = await open(b, { query: "?src=databento&start=2009-03-02&end=2009-12-31" });
  await useDatabento(page, env("E2E_FAKE"));
  assert.match(await page.textContent("#run-blocked"), /GLBX\.MDP3 data starts on 2010-06-06/);
  assert.ok(await page.isDisabled("#run"));
  await context.close();
});

test("changing the gateway after an estimate asks for a new one, a CSV setting does not", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE"));
  await estimate(page);
  assert.equal(await page.textContent("#run"), "Fetch and run");
  await page.selectOption("#dates", "iso");
  assert.equal(await page.textContent("#run"), "Fetch and run", "a CSV setting keeps the estimate");
  await page.fill("#gateway", env("E2E_FAKE_FLAKY"));
  assert.equal(await page.textContent("#run"), "Estimate cost");
  assert.equal(await page.locator("#estimate").count(), 0);
  await context.close();
});

/// What this browser keeps: the stored key and gateway.
const stored = (page) =>
  page.evaluate(() => [localStorage.getItem("deltaroll.apiKey"), localStorage.getItem("deltaroll.gateway")]);

test("the key and gateway stay in memory unless remembered, and can be forgotten", async () => {
  const fake = env("E2E_FAKE");
  const { context, page } = await databentoPage(fake);
  assert.deepEqual(await stored(page), [null, null]);
  await page.check("#remember-key");
  assert.deepEqual(await stored(page), [KEY, fake]);
  // A link cannot set the gateway or the key: the remembered ones come back.
  await page.goto(env("E2E_APP") + LINK + "&gateway=https%3A%2F%2Fevil.example&key=db-X");
  await page.waitForSelector("#api-key");
  assert.equal(await page.inputValue("#api-key"), KEY);
  assert.equal(await page.inputValue("#gateway"), fake, "the gateway remembered, not the link's");
  assert.ok(await page.isChecked("#remember-key"));
  await page.click("text=Forget key");
  assert.equal(await page.inputValue("#api-key"), "");
  assert.deepEqual(await stored(page), [null, null]);
  await context.close();
});

test("a key pasted into the gateway field is neither kept nor shown", async () => {
  const { context, page } = await databentoPage(env("E2E_FAKE"));
  await page.fill("#gateway", KEY);
  await page.waitForSelector("text=looks like it holds an API key");
  const everything = () => page.evaluate(() => document.body.innerText + JSON.stringify({ ...localStorage }));
  assert.ok(!(await everything()).includes("TESTKEY"), await everything());
  assert.deepEqual(await stored(page), [null, null]);
  await page.check("#remember-key");
  assert.deepEqual(await stored(page), [KEY, null], "the key is kept, the gateway field's text is not");
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes("TESTKEY"));
  // Other text that is not a URL is shown by its first 12 characters only.
  await page.fill("#gateway", "not a url, and then more words");
  await page.waitForSelector("text=is not a URL");
  const text = await page.evaluate(() => document.body.innerText);
  assert.match(text, /“not a url, a…” is not a URL/);
  assert.ok(!text.includes("more words"), text);
  await page.click("text=Forget key");
  await context.close();
});

test("a shared link shows its results from this browser's cache, without the key", async () => {
  const fake = env("E2E_FAKE");
  const { context, page } = await open(b, { query: LINK });
  await useDatabento(page, fake);
  await estimate(page);
  await page.click("#run");
  assert.equal(await results(page), "Databento");
  const fetched = await download(page, "[data-download=wide]");
  const rolls = await page.locator("#rolls tbody tr").count();
  const link = `?${await query(page)}`;
  // Cached bodies are read for the gateway this browser keeps: remember it, not the key.
  await page.check("#remember-key");
  await page.fill("#api-key", "");
  assert.deepEqual(await stored(page), [null, fake]);
  await page.close();

  // The link in a new tab of the same browser: no key typed, nothing sent, same bytes.
  const shared = await context.newPage();
  const problems = [];
  shared.on("pageerror", (e) => problems.push(e.message));
  const sent = [];
  shared.on("request", (r) => r.url().startsWith(fake) && sent.push(r.url()));
  await shared.goto(app() + link);
  assert.equal(await results(shared), "Databento");
  assert.equal(await shared.inputValue("#api-key"), "");
  assert.equal(await shared.locator("#rolls tbody tr").count(), rolls);
  const restored = await download(shared, "[data-download=wide]");
  assert.equal(restored.name, fetched.name);
  assert.ok(restored.bytes.equals(fetched.bytes), "same link, same CSV bytes");
  assert.deepEqual(sent, [], "nothing was sent to the gateway");
  assert.deepEqual(problems, []);

  // Bodies are kept per gateway: the fake server's are never shown as Databento's.
  await shared.click("details.advanced summary");
  await shared.fill("#gateway", "");
  const databento = await context.newPage();
  await databento.goto(app() + link);
  await databento.waitForFunction(() =>
    /not in this browser’s cache/.test(document.querySelector("#run-status")?.textContent ?? ""),
  );
  await context.close();

  // Another browser (empty cache): the form is restored and the page says how to fetch.
  const other = await open(b, { query: link });
  await other.page.waitForFunction(() =>
    /not in this browser’s cache/.test(document.querySelector("#run-status")?.textContent ?? ""),
  );
  assert.equal(await other.page.locator("#data-label").count(), 0);
  assert.match(await other.page.textContent(".panel.empty"), /not in this browser’s cache/, "said where results go");
  assert.equal(await other.page.inputValue("#start_date"), "2025-01-01");
  await other.context.close();
});

test("the Databento tab says first what a browser needs, with the relay command for this page", async () => {
  const { context, page } = await open(b, { query: LINK });
  await page.click("label.tab:has-text('Databento')");
  assert.ok(await page.isVisible("#relay-note"), "shown without opening Advanced");
  assert.equal(await page.locator("details.advanced[open]").count(), 0);
  assert.match(await page.textContent("#relay-note"), /only through a gateway that allows web pages \(CORS\)/);
  const origin = new URL(app()).origin;
  assert.equal(await page.textContent("#relay-command"), `deltaroll relay --allow-origin ${origin}`);
  const first = await page.$eval("#relay-note", (note) =>
    Boolean(note.compareDocumentPosition(document.querySelector("#api-key")) & Node.DOCUMENT_POSITION_FOLLOWING),
  );
  assert.ok(first, "the note comes before the key");
  await page.click("#use-relay");
  await page.click("details.advanced summary");
  assert.equal(await page.inputValue("#gateway"), "http://127.0.0.1:8790");
  assert.equal(await page.textContent("#use-relay"), "Using the relay");
  await context.close();
});

test("Test connection tells a working gateway, a refused key, a closed port and a CORS refusal apart", async () => {
  // A server that answers but sends no CORS headers, as Databento's own gateway.
  const bare = http.createServer((req, res) => res.writeHead(401, { "content-type": "application/json" }).end("{}"));
  await new Promise((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const noCors = `http://127.0.0.1:${bare.address().port}`;
  const fake = env("E2E_FAKE");
  const { context, page, problems } = await databentoPage(fake);
  const requests = record(page, fake);
  const testConnection = async () => {
    await page.click("#test-connection");
    await page.waitForFunction(() => {
      const text = document.querySelector("#connection").textContent;
      return text !== "" && text !== "Testing…";
    }, null, { timeout: 60_000 });
    return page.textContent("#connection");
  };
  assert.match(await testConnection(), /^Connected: http:\/\/127\.0\.0\.1:\d+ answered and accepted the API key \(GLBX\.MDP3 has data from \d{4}-\d\d-\d\d to before \d{4}-\d\d-\d\d\)\. Estimates and runs will work\.$/);
  assert.ok(!requests.includes("/v0/timeseries.get_range") && !requests.includes("/v0/metadata.get_cost"), "nothing billable");

  await page.fill("#gateway", env("E2E_FAKE_BAD_KEY"));
  assert.equal(await page.textContent("#connection"), "", "a result is about the gateway it was for");
  const refused = await testConnection();
  assert.match(refused, /refused the API key \(HTTP 401/);
  assert.ok(!refused.includes("TESTKEY"));

  await page.fill("#gateway", "http://127.0.0.1:9");
  const started = Date.now();
  const nothing = await testConnection();
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  assert.match(nothing, /^Nothing answers at http:\/\/127\.0\.0\.1:9: the connection was refused/);

  await page.fill("#gateway", noCors);
  const cors = await testConnection();
  assert.match(cors, /answers, but does not let web pages read its answers \(CORS\)/);
  assert.match(cors, /set the gateway to http:\/\/127\.0\.0\.1:8790/);
  assert.deepEqual(problems, []);
  await context.close();
  bare.closeAllConnections();
  bare.close();
});
