/* Compare, on the listings and the funnel pages: a Compare box on every card (or on the funnel's
   own page) keeps up to three funnels for this browser tab, and a tray at the bottom of the page
   links to the compare page with the choice in its address (?f=a,b,c). Cards that filters draw
   later are marked when filters announce them (CARDS_DRAWN). The ids' checks and storage are
   lib/compare-ids.js. Root: the element that names the compare page, [data-fl-compare-page]. */

import { MOST, store, stored, trayStatus } from "../lib/compare-ids.js";
import { CARDS_DRAWN } from "../lib/page.js";

const tabStorage = () => window.sessionStorage;

function element(tag, className, text) {
  const made = document.createElement(tag);
  made.className = className;
  if (text) made.textContent = text;
  return made;
}

export function mount(bar) {
  const target = bar.getAttribute("data-fl-compare-page");
  if (!target) return;
  const scope = bar.closest(".fl-browse") || bar.closest(".md-typeset") || document.body;  // a listing, or a funnel's page
  const tray = element("div", "fl-compare-tray");
  tray.setAttribute("role", "region");
  tray.setAttribute("aria-label", "Funnels to compare");
  tray.hidden = true;
  const status = element("span", "fl-compare-tray__status");
  status.setAttribute("aria-live", "polite");
  const go = element("a", "md-button md-button--primary fl-compare-tray__go");
  const wait = element("button", "md-button fl-compare-tray__wait");  // fewer than two: nothing to link to yet
  wait.type = "button";
  wait.disabled = true;
  const clear = element("button", "md-button fl-compare-tray__clear", "Clear");
  clear.type = "button";
  tray.append(status, go, wait, clear);
  scope.appendChild(tray);

  function sync() {
    const ids = stored(tabStorage);
    scope.querySelectorAll(".fl-compare-box").forEach((box) => {
      box.checked = ids.includes(box.value);
      box.disabled = !box.checked && ids.length >= MOST;
      box.closest(".fl-card__compare").classList.toggle("fl-card__compare--full", box.disabled);
    });
    tray.hidden = ids.length === 0;
    document.body.classList.toggle("fl-has-compare-tray", ids.length > 0);
    status.textContent = trayStatus(ids.length);
    go.textContent = wait.textContent = `Compare ${ids.length}`;
    go.href = `${new URL(target, window.location.href).pathname}?f=${ids.join(",")}`;
    go.hidden = ids.length < 2;
    wait.hidden = ids.length >= 2;
  }

  scope.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.classList || !box.classList.contains("fl-compare-box")) return;
    event.stopPropagation();  // not a filter
    const ids = stored(tabStorage).filter((id) => id !== box.value);
    if (box.checked) ids.push(box.value);
    store(tabStorage, ids);
    sync();
  }, true);
  clear.addEventListener("click", () => { store(tabStorage, []); sync(); });
  document.addEventListener(CARDS_DRAWN, (event) => {
    if (!bar.isConnected) return;
    const root = event.detail && event.detail.root;
    if (!root || scope.contains(root)) sync();
  });
  sync();
}
