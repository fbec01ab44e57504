/* The search box: Pagefind behind Material's search markup (see partials/search.html).
   Nothing is fetched until the visitor starts a search; then Pagefind loads its script and
   only the index chunks the query needs, and the search vocabulary (search-words.json).
   A query is searched term by term (lib/search-text.js: a word, or a visitor's phrase with the
   library's words for it); a prefix match is kept only when it is honest (no "up" for "upsell"),
   pages with every term come first, and a query no funnel answers says so, with a link to
   propose one. Results are grouped: funnels first, then the other library pages, then the
   contributor guide. Every string from the index is set as text; only Pagefind's <mark> around
   matched words becomes an element. The box closes when focus leaves it.
   Root: the form, form[data-fl-search]. */

import {
  GROUPS, alsoSearched, honestMatch, markedPieces, markedWords, noFunnelText, queryTerms, rankPages, sameSiteUrl, statusText, wordsOf,
} from "../lib/search-text.js";

const DELAY = 120;

function textWithMarks(html, into) {
  const parser = new DOMParser();
  for (const { html: piece, marked } of markedPieces(html)) {
    const text = parser.parseFromString(`<!doctype html><body>${piece}`, "text/html").body.textContent;
    if (!text) continue;
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      into.appendChild(mark);
    } else {
      into.appendChild(document.createTextNode(text));
    }
  }
}

/* How an alternative is searched, decided once per query: a prefix search is kept when the
   word its best page matched answers the query word honestly. Pagefind matches all pages of one
   word in one way (by the words that extend it, or by the one word that begins it), so one page
   tells. Otherwise the word is searched whole ("upsell" then finds only "upsell"). */
async function searchedAs(module, alt) {
  if (alt.kind !== "prefix") return alt;
  const found = await module.search(alt.query);
  if (!found || !found.results.length) return null;
  const data = await found.results[0].data();
  const marked = markedWords(data.excerpt || "");
  const candidates = marked.length ? marked : wordsOf((data.meta && data.meta.title) || "");
  if (candidates.some((word) => honestMatch(word, alt.text))) return alt;
  return { query: `"${alt.text}"`, kind: "exact", text: alt.text };
}

function item(data) {
  const url = sameSiteUrl(data.url);
  if (!url) return null;
  const li = document.createElement("li");
  li.className = "md-search-result__item";
  const a = document.createElement("a");
  a.className = "md-search-result__link";
  a.href = url;
  const article = document.createElement("article");
  article.className = "md-search-result__article md-typeset";
  const title = document.createElement("h3");
  title.textContent = (data.meta && data.meta.title) || url;
  const excerpt = document.createElement("p");
  textWithMarks(data.excerpt || "", excerpt);
  article.append(title, excerpt);
  a.appendChild(article);
  li.appendChild(a);
  return li;
}

export function mount(form) {
  const toggle = document.getElementById("__search");
  const input = form.querySelector("input[type=search]");
  const box = form.closest(".md-search");
  const status = box.querySelector(".md-search-result__meta");
  const groups = box.querySelector(".fl-search__groups");
  const script = new URL(form.getAttribute("data-fl-search"), window.location.href);
  const wordsUrl = form.getAttribute("data-fl-search-words");
  const propose = form.getAttribute("data-fl-propose");
  const base = script.pathname.replace(/pagefind\/pagefind\.js$/, "");
  const idle = status.textContent;
  let pagefind = null;
  let vocabulary = null;
  let asked = 0;
  let timer = null;

  function load() {
    if (!pagefind) {
      pagefind = import(script.href).then((module) => module.options({ baseUrl: base, excerptLength: 24 }).then(() => module));
      // Without the vocabulary (an old build, a failed request) the visitor's own words are searched.
      vocabulary = wordsUrl
        ? fetch(new URL(wordsUrl, window.location.href)).then((response) => (response.ok ? response.json() : {})).catch(() => ({}))
        : Promise.resolve({});
    }
    return Promise.all([pagefind, vocabulary]);
  }

  function open(focus) {
    if (toggle && !toggle.checked) toggle.checked = true;
    if (focus) input.focus();
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  const links = () => Array.from(groups.querySelectorAll("a.md-search-result__link"));

  function list(entries) {
    const ol = document.createElement("ol");
    ol.className = "md-search-result__list";
    entries.forEach((entry) => { if (entry) ol.appendChild(entry); });
    return ol;
  }

  function noFunnel(query) {
    const note = document.createElement("p");
    note.className = "fl-search__none";
    note.append(`${noFunnelText(query)} `);
    if (propose) {
      const link = document.createElement("a");
      link.className = "fl-search__propose";
      link.href = propose;
      link.textContent = "Propose a funnel";
      note.appendChild(link);
    }
    return note;
  }

  function render(found, query, terms) {
    groups.textContent = "";
    const also = alsoSearched(terms);
    if (also) {
      const line = document.createElement("p");
      line.className = "fl-search__also-searched";
      line.textContent = also;
      groups.appendChild(line);
    }
    let total = 0;
    let some = 0;
    found.forEach((group) => {
      total += group.all;
      some += group.some;
      if (group.section === "funnels" && !group.all) groups.appendChild(noFunnel(query));
      if (!group.items.length && !group.partial.length) return;
      const section = document.createElement("section");
      section.className = "fl-search__group";
      section.setAttribute("data-section", group.section);
      const heading = document.createElement("h2");
      heading.className = "fl-search__title";
      heading.textContent = `${group.title} (${group.all})`;
      section.appendChild(heading);
      if (group.items.length) section.appendChild(list(group.items));
      if (group.partial.length) {
        const also = document.createElement("h3");
        also.className = "fl-search__also";
        also.textContent = `With some of the words (${group.some})`;
        const partial = list(group.partial);
        partial.classList.add("fl-search__partial");
        section.append(also, partial);
      }
      if (!group.all) heading.textContent = group.title;
      groups.appendChild(section);
    });
    status.textContent = statusText(total, query, terms.length > 1 ? some : 0);
  }

  async function searchGroups(module, words, query) {
    const terms = queryTerms(query, words);
    const resolved = await Promise.all(terms.map((term) => Promise.all(term.alternatives.map((alt) => searchedAs(module, alt)))));
    return Promise.all(GROUPS.map(async (group) => {
      const filters = { section: group.section };
      const found = await Promise.all(resolved.map(async (alternatives, index) => {
        const results = await Promise.all(alternatives.filter(Boolean).map((alt) => module.search(alt.query, { filters })));
        return [index, results.flatMap((result) => (result ? result.results : []))];
      }));
      const ranked = rankPages(found, terms.length);
      const all = ranked.filter((page) => page.all);
      // With one term, every page has all of it; with more, a page with some of the words is
      // listed after those with all of them.
      const partial = terms.length > 1 ? ranked.filter((page) => !page.all) : [];
      const show = (pages, limit) => Promise.all(pages.slice(0, limit).map((page) => page.best.data().then(item)));
      return {
        section: group.section, title: group.title, all: all.length, some: partial.length,
        items: await show(all, group.limit), partial: await show(partial, group.limit),
      };
    })).then((found) => [found, terms]);
  }

  function search(query) {
    const ticket = ++asked;
    if (!query || !wordsOf(query).length) {
      groups.textContent = "";
      status.textContent = idle;
      return;
    }
    status.textContent = "Searching\u2026";
    load().then(([module, words]) => searchGroups(module, words, query)).then(([found, terms]) => {
      if (ticket === asked) render(found, query, terms);
    }).catch(() => {
      if (ticket === asked) status.textContent = "Search could not load. Reload the page to try again.";
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    window.setTimeout(() => { search(""); input.focus(); }, 0);
  });
  input.addEventListener("focus", () => { open(false); load(); });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const query = input.value.trim();
    timer = window.setTimeout(() => search(query), DELAY);
  });
  if (toggle) toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  box.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
      if (next < 0 || next >= all.length) input.focus();
      else all[next].focus();
    }
  });
  // Focus that leaves the box (Tab past its last link, Shift+Tab before the input) closes it, so
  // no open panel covers the page while focus walks behind it. Checked after the move, since
  // focus passes through nothing between two elements; a window that loses focus keeps it.
  box.addEventListener("focusout", () => {
    window.setTimeout(() => {
      const now = document.activeElement;
      if (!document.hasFocus() || !toggle || !toggle.checked) return;
      if (now && now !== document.body && !box.contains(now)) close();
    }, 0);
  });
  box.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("a.md-search-result__link")) close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], .fl-viewport")) return;
    if (event.key === "/" || event.key === "s") {
      event.preventDefault();
      open(true);
    }
  });
}
