/* The compare page: the funnels in the address (?f=a,b,c, else the tab's choice) side by side,
   one column each, row by row (title, facts, diagram, steps, figures, evidence), from their own
   pages (features/compare-parts.js). The diagrams share one scale. Root: [data-fl-compare]. */

import { cell, parts } from "./compare-parts.js";
import { fromQuery, queryFor, store, stored } from "../lib/compare-ids.js";
import { params, replaceQuery } from "../lib/page.js";

const ROWS = ["title", "facts", "fit", "diagram", "steps", "figures", "evidence"];
const tabStorage = () => window.sessionStorage;

/* The diagrams side by side share one scale, so a bigger box means a longer label, not a
   smaller funnel: the largest scale (at most 100%) at which the widest fits its column,
   unless that takes the smallest label below 12 px. Then a diagram wider than its column
   scrolls sideways in its own frame, which the keyboard can reach. */
const SMALLEST_LABEL = 12;

function fitDiagrams(grid) {
  const svgs = Array.from(grid.querySelectorAll(".fl-compare__svg"));
  if (!svgs.length) return;
  const column = svgs[0].parentNode.clientWidth;
  const natural = svgs.map((svg) => [parseFloat(svg.getAttribute("data-fl-width")) || 0, parseFloat(svg.getAttribute("data-fl-height")) || 0]);
  const widest = Math.max(...natural.map((size) => size[0]));
  let smallest = Infinity;
  svgs.forEach((svg, index) => {
    const box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width) return;
    svg.querySelectorAll("text").forEach((text) => {
      const size = parseFloat(text.getAttribute("font-size"));
      if (size > 0) smallest = Math.min(smallest, size * natural[index][0] / box.width);
    });
  });
  if (!widest || !column) return;
  // Print has its own column width: there the widest fills its column and the others keep
  // their width in proportion to it (the stylesheet reads these two figures).
  grid.style.setProperty("--fl-widest", widest);
  let scale = Math.min(1, column / widest);
  if (smallest * scale < SMALLEST_LABEL) scale = Math.min(1, SMALLEST_LABEL / smallest);
  svgs.forEach((svg, index) => {
    const frame = svg.parentNode;
    const width = natural[index][0] * scale;
    svg.style.setProperty("--fl-width", natural[index][0]);
    svg.style.width = `${width}px`;
    svg.style.height = `${natural[index][1] * scale}px`;
    const wide = width > frame.clientWidth + 0.5;
    frame.classList.toggle("fl-compare__frame--wide", wide);
    if (wide) {
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", `Diagram of ${frame.getAttribute("data-fl-title")}, wider than its column: scroll sideways`);
    } else {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
    }
  });
}

/* A funnel's page, fetched and taken apart; parts is null when it is not in the library. */
function fetchFunnel(id, pattern) {
  const url = new URL(pattern.replace("{id}", id), window.location.href).href;
  return fetch(url, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => ({ id, url, parts: html ? parts(html, url) : null }), () => ({ id, url, parts: null }));
}

export function mount(root) {
  const pattern = root.getAttribute("data-fl-funnel-url");
  const library = root.getAttribute("data-fl-library");
  let ids = fromQuery(params().get("f"));
  if (!ids.length && stored(tabStorage).length >= 2) ids = stored(tabStorage);

  function show(message, withLink) {
    root.textContent = "";
    const p = document.createElement("p");
    p.className = "fl-compare__empty";
    p.textContent = `${message} `;
    if (withLink) {
      const a = document.createElement("a");
      a.href = library;
      a.textContent = "Go to the library";
      p.appendChild(a);
    }
    root.appendChild(p);
  }

  /* The title cell of a funnel the library does not hold. */
  function missing(id) {
    const part = cell("title");
    const p = document.createElement("p");
    p.textContent = `No funnel \u201c${id}\u201d in the library. `;
    const find = document.createElement("a");
    find.href = library;
    find.textContent = "Pick another in the library";
    p.appendChild(find);
    part.appendChild(p);
    return part;
  }

  function removeButton(funnel) {
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "md-button fl-compare__remove";
    remove.textContent = "Remove";
    const name = funnel.parts ? funnel.parts.title.querySelector("h2").textContent : funnel.id;
    remove.setAttribute("aria-label", `Remove ${name} from the comparison`);
    remove.addEventListener("click", () => {
      ids = ids.filter((id) => id !== funnel.id);
      render();
    });
    return remove;
  }

  function render() {
    replaceQuery(queryFor(ids));
    store(tabStorage, ids);
    if (ids.length < 2) {
      show(ids.length ? "Tick one or two more funnels to compare." : "No funnels picked yet.", true);
      return;
    }
    show(`Loading ${ids.length} funnels\u2026`, false);
    Promise.all(ids.map((id) => fetchFunnel(id, pattern))).then((funnels) => {
      if (!funnels.some((funnel) => funnel.parts)) {
        show(`None of these funnels is in the library: ${ids.join(", ")}. A funnel may have been renamed.`, true);
        return;
      }
      root.textContent = "";
      const grid = document.createElement("div");
      grid.className = "fl-compare__grid";
      grid.style.setProperty("--fl-columns", funnels.length);
      grid.setAttribute("role", "region");
      grid.setAttribute("aria-label", "The funnels side by side");
      grid.tabIndex = 0;
      ROWS.forEach((row) => {
        funnels.forEach((funnel) => {
          let part = funnel.parts && funnel.parts[row];
          if (!part) part = row === "title" ? missing(funnel.id) : cell(row);
          if (row === "title") part.appendChild(removeButton(funnel));
          grid.appendChild(part);
        });
      });
      root.appendChild(grid);
      fitDiagrams(grid);
    });
  }

  let pending = 0;
  function onResize() {
    if (!root.isConnected) { window.removeEventListener("resize", onResize); return; }  // the page was left
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      const grid = root.querySelector(".fl-compare__grid");
      if (grid) fitDiagrams(grid);
    });
  }
  window.addEventListener("resize", onResize);
  render();
}
