/* Funnel Library: the page script's entry (an ES module; no build step). Every page works
   without it.

   Each feature is a module under features/ that exports mount(root). This entry finds the roots
   a page has, imports only the modules those roots need, and mounts each root once, in the order
   of FEATURES. It runs on every page Material shows: through Material's document$ stream when it
   is there (it fires again after instant navigation), else once the document is parsed.
   Features never call one another: they talk through DOM events (lib/page.js). */

/* Which feature mounts on which roots. tests/test_front_end_modules.py reads this list to check
   that every built page loads only the modules its roots need. */
export const FEATURES = [
  { name: "proposal", root: "[data-fl-fill]", module: "./features/proposal.js" },
  { name: "planner", root: "form[data-fl-calculator]", module: "./features/planner.js" },
  { name: "materials", root: "[data-fl-materials]", module: "./features/materials.js" },
  { name: "filters", root: "form[data-fl-filters]", module: "./features/filters.js" },
  { name: "filter-sheet", root: "button[data-fl-sheet]", module: "./features/filter-sheet.js" },
  { name: "viewer", root: ".fl-viewport[data-fl-viewer]", module: "./features/viewer.js" },
  { name: "focus", root: "form[data-fl-focus]", module: "./features/focus.js" },
  { name: "search", root: "form[data-fl-search]", module: "./features/search.js" },
  { name: "compare-tray", root: '[data-fl-compare-page]:not([data-fl-compare-page=""])', module: "./features/compare-tray.js" },
  { name: "compare-page", root: "[data-fl-compare]", module: "./features/compare-page.js" },
  { name: "not-found", root: "form[data-fl-not-found]", module: "./features/not-found.js" },
];

const mounted = new WeakSet();

/* An error in one feature leaves the others working, and is still reported as the page's error. */
function report(error) {
  setTimeout(() => { throw error; });
}

/* The browser's load event waits for a module script element, not for import(): the page says
   it has loaded only once its features are mounted, as it did when one classic script held them
   all. The element and import() name the same address, so the module is fetched and run once;
   its mount() runs as soon as every import has settled, before those elements have run. */
function holdLoad(url) {
  const script = document.createElement("script");
  script.type = "module";
  script.src = url;
  document.head.appendChild(script);
}

/* Mounts every feature on the roots of `doc` that are not mounted yet. */
export function start(doc) {
  const found = FEATURES.map((feature) => {
    const roots = Array.from(doc.querySelectorAll(feature.root)).filter((root) => !mounted.has(root));
    roots.forEach((root) => mounted.add(root));
    if (!roots.length) return null;
    const url = new URL(feature.module, import.meta.url).href;
    holdLoad(url);
    return { roots, module: import(url).catch((error) => { report(error); return null; }) };
  }).filter(Boolean);
  return Promise.all(found.map((feature) => feature.module)).then((modules) => {
    modules.forEach((module, index) => {
      if (!module) return;
      for (const root of found[index].roots) {
        try {
          module.mount(root);
        } catch (error) {
          report(error);
        }
      }
    });
  });
}

if (typeof document !== "undefined") {
  const pages = window.document$;
  if (pages && typeof pages.subscribe === "function") pages.subscribe(() => start(document));
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start(document));
  else start(document);
}
