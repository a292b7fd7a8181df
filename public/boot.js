// Starts the app without inline script (the page's CSP forbids it): imports the module
// trunk generated, instantiates the wasm, registers the service worker for offline use, and
// says so on the page if anything fails.
const tag = document.querySelector("script[data-wasm]");
const base = tag.dataset.base;

function fatal(message) {
  const box = document.getElementById("fatal");
  box.textContent = message;
  box.hidden = false;
}

try {
  const { default: init } = await import(base + tag.dataset.js);
  await init({ module_or_path: base + tag.dataset.wasm });
} catch (error) {
  console.error(error);
  fatal(
    "deltaroll could not start (" + error + "). Reload the page; if it keeps happening, use a current Chrome, Firefox or Safari.",
  );
}

if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
  // The build's wasm name (trunk hashes it) names the worker's cache: see sw.js.
  const build = encodeURIComponent(tag.dataset.wasm);
  navigator.serviceWorker.register(`${base}sw.js?build=${build}`).catch((error) => console.warn("no offline support:", error));
}
