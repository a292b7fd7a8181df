// Offline support: on install, cache the page and every asset it names (the hashed module,
// wasm and CSS trunk wrote into index.html); afterwards serve same-origin GETs network
// first, falling back to the cache, so the app opens offline after the first visit and
// updates when online. Other origins (Databento, a relay) are never touched. Only `ok`
// answers are cached (never a 404 or a server error).
//
// One cache per build: boot.js registers this worker as `sw.js?build=<hashed wasm name>`,
// so a new build is a new worker with its own cache, and activating it deletes the others.
const BUILD = new URL(location.href).searchParams.get("build") || "unversioned";
const CACHE = "deltaroll:" + BUILD;
const STATIC = ["boot.js", "manifest.webmanifest", "icon.svg"];

async function precache() {
  const cache = await caches.open(CACHE);
  const scope = self.registration.scope;
  const page = await fetch(scope, { cache: "no-cache" });
  if (!page.ok) throw new Error(`the page answered HTTP ${page.status}: nothing cached`);
  const html = await page.clone().text();
  await cache.put(scope, page);
  const assets = new Set(STATIC.map((a) => new URL(a, scope).href));
  for (const match of html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)) {
    const url = new URL(match[1], scope);
    if (url.origin === location.origin && url.pathname !== new URL(scope).pathname) assets.add(url.href);
  }
  await cache.addAll([...assets]);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  const key = request.mode === "navigate" ? self.registration.scope : request;
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(request);
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return response;
      } catch (error) {
        const hit = await caches.match(key);
        if (hit) return hit;
        throw error;
      }
    })(),
  );
});
