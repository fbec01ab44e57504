/* The filters as a sheet on narrow screens (below 60em, where the Filter button shows): the
   button opens the form over the page as a modal dialog; focus moves into it and stays there;
   Escape or Close closes it and gives focus back to the button; "Show N results" (counted live
   by features/filters.js) closes it and lands on the first result, scrolled into view and
   focused. On wide screens the same form is the column beside the cards, and none of this runs.
   Root: the Filter button, button[data-fl-sheet]. */

import { nextInCycle } from "../lib/sheet.js";

const NARROW = "(max-width: 59.9375em)";
const FOCUSABLE = "button, input, select, a[href], [tabindex]:not([tabindex='-1'])";

export function mount(toggle) {
  const form = document.getElementById(toggle.getAttribute("aria-controls") || "");
  if (!form) return;
  const browse = form.closest(".fl-browse") || document.body;
  const close = form.querySelector("[data-fl-sheet-close]");
  const show = form.querySelector("[data-fl-sheet-show]");
  const title = form.querySelector(".fl-filters__title");
  const narrow = window.matchMedia ? window.matchMedia(NARROW) : { matches: true, addEventListener() {} };
  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
  const focusable = () => Array.from(form.querySelectorAll(FOCUSABLE)).filter((el) => !el.disabled && !el.hidden && el.getClientRects().length > 0);

  function open() {
    toggle.setAttribute("aria-expanded", "true");
    browse.classList.add("fl-browse--open");
    document.body.classList.add("fl-has-sheet");
    form.setAttribute("role", "dialog");
    form.setAttribute("aria-modal", "true");
    if (title && title.id) form.setAttribute("aria-labelledby", title.id);
    form.scrollTop = 0;
    const first = form.querySelector(".fl-facet input:not(:disabled)") || close;
    if (first) first.focus();
  }

  function shut(returnFocus) {
    toggle.setAttribute("aria-expanded", "false");
    browse.classList.remove("fl-browse--open");
    document.body.classList.remove("fl-has-sheet");
    form.removeAttribute("role");
    form.removeAttribute("aria-modal");
    form.removeAttribute("aria-labelledby");
    if (returnFocus) toggle.focus();
  }

  /* The first result the filters left, scrolled to the top of the screen under the count, and focused. */
  function landOnResults() {
    const results = document.getElementById("results");
    const card = Array.from((results || document).querySelectorAll(".fl-card")).find((one) => !one.hidden && one.getClientRects().length > 0);
    const link = card && card.querySelector(".fl-card__title a");
    const target = link || results;
    if (!target) return;
    // The bar above the cards comes first, so its count ("Showing 7 of 23 funnels") stays in view.
    const bar = results && results.querySelector(".fl-results-bar");
    (bar || card || target).scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  toggle.addEventListener("click", () => { if (isOpen()) shut(true); else open(); });
  if (close) close.addEventListener("click", () => shut(true));
  if (show) show.addEventListener("click", () => { shut(false); landOnResults(); });
  form.addEventListener("keydown", (event) => {
    if (!isOpen() || !narrow.matches) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      shut(true);
    } else if (event.key === "Tab") {
      const list = focusable();
      const next = nextInCycle(list.length, list.indexOf(document.activeElement), event.shiftKey);
      if (next < 0) return;
      event.preventDefault();
      list[next].focus();
    }
  });
  // Widened past the sheet's width: the form is the column again, nothing to close.
  narrow.addEventListener("change", (event) => { if (!event.matches && isOpen()) shut(false); });
}
