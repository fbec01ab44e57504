/* The search box: Pagefind behind Material's search markup (see partials/search.html).
   Nothing is fetched until the visitor starts a search; then Pagefind loads its script and
   only the index chunks the query needs. Results are grouped: funnels first, then the other
   library pages, then the contributor guide (lib/search-text.js). Every string from the index is
   set as text; only Pagefind's <mark> around matched words becomes an element.
   Root: the form, form[data-fl-search]. */

import { GROUPS, markedPieces, sameSiteUrl, statusText } from "../lib/search-text.js";

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
  const base = script.pathname.replace(/pagefind\/pagefind\.js$/, "");
  const idle = status.textContent;
  let pagefind = null;
  let asked = 0;
  let timer = null;

  function load() {
    if (!pagefind) {
      pagefind = import(script.href).then((module) => module.options({ baseUrl: base, excerptLength: 24 }).then(() => module));
    }
    return pagefind;
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

  function render(found, query) {
    groups.textContent = "";
    let total = 0;
    found.forEach((group) => {
      if (!group.items.length) return;
      total += group.count;
      const section = document.createElement("section");
      section.className = "fl-search__group";
      section.setAttribute("data-section", group.section);
      const heading = document.createElement("h2");
      heading.className = "fl-search__title";
      heading.textContent = `${group.title} (${group.count})`;
      const list = document.createElement("ol");
      list.className = "md-search-result__list";
      group.items.forEach((entry) => { if (entry) list.appendChild(entry); });
      section.append(heading, list);
      groups.appendChild(section);
    });
    status.textContent = statusText(total, query);
  }

  function search(query) {
    const ticket = ++asked;
    if (!query) {
      groups.textContent = "";
      status.textContent = idle;
      return;
    }
    status.textContent = "Searching\u2026";
    load().then((module) => Promise.all(GROUPS.map((group) =>
      module.search(query, { filters: { section: group.section } }).then((result) => {
        const shown = result ? result.results.slice(0, group.limit) : [];
        return Promise.all(shown.map((hit) => hit.data())).then((data) => (
          { section: group.section, title: group.title, count: result ? result.results.length : 0, items: data.map(item) }));
      }),
    ))).then((found) => {
      if (ticket === asked) render(found, query);
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
