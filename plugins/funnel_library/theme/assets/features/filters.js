/* Facet filters and sorting on the library's listings. Without script every card is shown in
   title order and the filter form stays hidden. The state lives in the address
   (?type=a&channel=email&sort=conversion), so a filtered, sorted view can be shared and reloaded.
   A value that would match nothing cannot be ticked; long facets open with "Show all"; on narrow
   screens the facets open as a sheet from the Filter button (features/filter-sheet.js). A listing split into pages draws its matches
   from the library's index (features/listing-index.js, loaded on the first filter or sort).
   The matching, sorting and counting are lib/facets.js. Root: the form, [data-fl-filters]. */

import { SORTS, countText, facetCounts, isActive, matches, queryFor, sortName } from "../lib/facets.js";
import { CARDS_DRAWN, announce, params, replaceQuery } from "../lib/page.js";
import { showLabel } from "../lib/sheet.js";

const MORE = 48;

/* An item of lib/facets.js for a card the server wrote (its data-* attributes). */
function cardItem(card) {
  return {
    card,
    title: card.querySelector(".fl-card__title").textContent.trim().toLowerCase(),
    conversion: parseFloat(card.getAttribute("data-conversion")) || 0,
    steps: parseInt(card.getAttribute("data-steps"), 10) || 0,
    added: card.getAttribute("data-added") || "",
    values: (name) => { const raw = card.getAttribute(`data-${name}`) || ""; return raw ? raw.split("|") : []; },
  };
}

export function mount(form) {
  const browse = form.closest(".fl-browse") || document;
  const results = browse.querySelector("[data-fl-index]");
  const cards = Array.from(browse.querySelectorAll(".fl-cards > .fl-card"));
  const boxes = Array.from(form.querySelectorAll('input[type="checkbox"]'));
  const options = boxes.map((box) => [box.name, box.value]);
  const sort = browse.querySelector("[data-fl-sort]");
  const toggle = browse.querySelector(".fl-filter-toggle");
  const count = browse.querySelector(".fl-result-count");
  const noMatch = form.querySelector(".fl-no-match");
  const showButton = form.querySelector("[data-fl-sheet-show]");
  const pageCount = count ? count.textContent : "";
  const names = [...new Set(boxes.map((box) => box.name))];
  const pageItems = cards.map(cardItem);
  // A listing split into pages: the page's own cards and links, and a list drawn from the index.
  const paged = results ? {
    serverList: results.querySelector(".fl-cards"),
    nav: results.querySelector(".fl-pages"),
    list: document.createElement("ul"),
    more: document.createElement("button"),
    shown: MORE,
    index: null,
  } : null;

  function chosen() {
    const selection = {};
    names.forEach((name) => { selection[name] = []; });
    boxes.forEach((box) => { if (box.checked) selection[box.name].push(box.value); });
    return selection;
  }
  const sortBy = () => sortName(sort ? sort.value : "title");

  /* Each list of cards in the chosen order (the page opens in title order). */
  function order() {
    const by = sortBy();
    const lists = [...new Set(pageItems.map((item) => item.card.parentNode))];
    lists.forEach((list) => {
      const sorted = pageItems.filter((item) => item.card.parentNode === list).sort(SORTS[by]);
      const inPlace = sorted.every((item, i) => list.children[i] === item.card);
      // Moving every card costs a layout of the whole list: only when the order changed.
      if (!inPlace) sorted.forEach((item) => list.appendChild(item.card));
    });
  }

  function countFacets(items, selection) {
    facetCounts(items, selection, options).forEach((n, at) => {
      const box = boxes[at];
      const label = box.parentElement.querySelector(".fl-count");
      const text = `(${n})`;
      if (label.textContent !== text) label.textContent = text;  // unchanged text is left alone: no relayout
      // Ticking a value that matches nothing would only empty the list: it cannot be ticked.
      const empty = n === 0 && !box.checked;
      if (box.disabled !== empty) box.disabled = empty;
      box.parentElement.classList.toggle("fl-facet__option--empty", empty);
    });
  }

  function finish(selection, shown, total, updateUrl) {
    if (count) count.textContent = countText(shown, total);
    if (toggle) {
      const ticked = boxes.filter((box) => box.checked).length;
      toggle.textContent = ticked ? `Filter (${ticked})` : "Filter";
    }
    noMatch.hidden = shown > 0;
    // The sheet's main button (features/filter-sheet.js) says how many the filters leave.
    if (showButton) showButton.textContent = showLabel(isActive(selection, sortBy()) || !paged ? shown : null);
    if (updateUrl) replaceQuery(queryFor(selection, sortBy()));
  }

  function applyOnPage(selection, updateUrl) {
    let shown = 0;
    pageItems.forEach((item) => {
      const visible = matches(item, selection);
      if (item.card.hidden === visible) item.card.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll(".fl-group").forEach((group) => {
      const list = Array.from(group.querySelectorAll(".fl-card"));
      group.hidden = list.length > 0 && list.every((card) => card.hidden);
    });
    countFacets(pageItems, selection);
    order();
    finish(selection, shown, pageItems.length, updateUrl);
  }

  /* Each choice on a paged listing is numbered: cards from the index are drawn only for the
     latest, so a slower earlier one (its module or index still loading) cannot land after it. */
  let latest = 0;
  let listingIndex = null;

  function applyFromIndex(selection, updateUrl, keepShown) {
    const ticket = ++latest;
    if (!isActive(selection, sortBy())) {  // back to this page of the listing, as the server wrote it
      paged.serverList.hidden = false;
      if (paged.nav) paged.nav.hidden = false;
      paged.list.hidden = true;
      paged.more.hidden = true;
      if (paged.index) countFacets(paged.index.items, selection);
      finish(selection, 0, 0, updateUrl);
      if (count) count.textContent = pageCount;
      noMatch.hidden = true;
      return Promise.resolve();
    }
    if (!keepShown) paged.shown = MORE;
    if (count) count.textContent = "Loading every funnel\u2026";
    listingIndex = listingIndex || import("./listing-index.js");
    return listingIndex.then(({ loadIndex, drawCard }) => loadIndex(results).then((index) => {
      if (ticket !== latest) return;
      paged.index = index;
      const now = chosen();
      const found = index.items.filter((item) => matches(item, now)).sort(SORTS[sortBy()]);
      const common = results.getAttribute("data-fl-common") || "";
      paged.list.textContent = "";
      found.slice(0, paged.shown).forEach((item) => paged.list.appendChild(drawCard(cards[0], item, index.chain, common)));
      announce(CARDS_DRAWN, { root: paged.list });
      paged.serverList.hidden = true;
      if (paged.nav) paged.nav.hidden = true;
      paged.list.hidden = false;
      const left = found.length - Math.min(found.length, paged.shown);
      paged.more.hidden = left === 0;
      paged.more.textContent = `Show ${Math.min(MORE, left)} more (${left} left)`;
      countFacets(index.items, now);
      finish(now, found.length, index.items.length, updateUrl);
    })).catch(() => {
      if (count && ticket === latest) count.textContent = "The list of funnels could not load. Reload the page to try again.";
    });
  }

  function apply(updateUrl, keepShown) {
    const selection = chosen();
    if (paged) applyFromIndex(selection, updateUrl, keepShown);
    else applyOnPage(selection, updateUrl);
  }

  if (paged) {
    paged.list.className = "fl-cards fl-cards--found";
    paged.list.hidden = true;
    paged.more.type = "button";
    paged.more.className = "md-button fl-show-more";
    paged.more.hidden = true;
    paged.serverList.after(paged.list);
    paged.list.after(paged.more);
    paged.more.addEventListener("click", () => {
      const next = paged.list.children.length;
      paged.shown += MORE;
      applyFromIndex(chosen(), false, true).then(() => {
        const first = paged.list.children[next];  // the keyboard carries on from the first new card
        if (first) first.querySelector(".fl-card__title a").focus();
      });
    });
  }

  const link = params();
  boxes.forEach((box) => { box.checked = link.getAll(box.name).includes(box.value); });
  if (sort && sortName(link.get("sort")) === link.get("sort")) sort.value = link.get("sort");
  form.addEventListener("change", () => apply(true));
  if (sort) sort.addEventListener("change", () => apply(true));
  form.querySelector("[data-fl-clear]").addEventListener("click", () => {
    boxes.forEach((box) => { box.checked = false; });
    apply(true);
  });
  form.querySelectorAll(".fl-facet__all").forEach((button) => {
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.closest(".fl-facet").classList.toggle("fl-facet--all", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = button.getAttribute(open ? "data-less" : "data-more");
    });
  });
  apply(false);
}
