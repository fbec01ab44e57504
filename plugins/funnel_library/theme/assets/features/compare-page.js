/* The compare page: the funnels in the address (?f=a,b,c, else the tab's choice) side by side,
   one column each, row by row (title, facts, diagram, steps, figures, evidence), from their own
   pages (features/compare-parts.js). The diagrams share one scale. On a phone the funnels stack,
   each under a title that stays in view, and nothing scrolls sideways. An id in the address that
   names no funnel, or is no funnel id at all, is named to the visitor. Root: [data-fl-compare]. */

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
const NARROW = "(max-width: 44.9375em)";
const isNarrow = () => Boolean(window.matchMedia && window.matchMedia(NARROW).matches);

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
  // A phone stacks the funnels: each diagram fits the screen's width (its steps are written out
  // just below it), since a frame that scrolls sideways inside a scrolling page reads badly.
  if (smallest * scale < SMALLEST_LABEL && !isNarrow()) scale = Math.min(1, SMALLEST_LABEL / smallest);
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
  // The grid is a stop for the keyboard only while it scrolls sideways.
  if (grid.scrollWidth > grid.clientWidth + 1) grid.tabIndex = 0; else grid.removeAttribute("tabindex");
}

/* The parts of the address's f parameter that are no funnel id at all (named, then left out). */
function notIds(text) {
  return String(text || "").split(",").map((part) => part.trim()).filter((part) => part && !fromQuery(part).length).slice(0, 3);
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
  const rejected = notIds(params().get("f"));
  let ids = fromQuery(params().get("f"));
  if (!ids.length && stored(tabStorage).length >= 2) ids = stored(tabStorage);

  /* What the address held that is no funnel id: said once, above whatever the page shows. */
  function noteRejected() {
    if (!rejected.length) return;
    const note = document.createElement("p");
    note.className = "fl-compare__rejected";
    const shown = rejected.map((text) => `\u201c${text.length > 60 ? `${text.slice(0, 60)}\u2026` : text}\u201d`).join(", ");
    note.textContent = `Not a funnel id, left out of the comparison: ${shown}.`;
    root.appendChild(note);
  }

  function show(message, withLink) {
    root.textContent = "";
    noteRejected();
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
      // One id alone: still say when the library has no funnel by that id.
      if (ids.length === 1) {
        const only = ids[0];
        fetchFunnel(only, pattern).then((funnel) => {
          if (funnel.parts || ids.length !== 1 || ids[0] !== only) return;
          show(`No funnel \u201c${only}\u201d in the library. Tick two or three funnels to compare.`, true);
        });
      }
      return;
    }
    show(`Loading ${ids.length} funnels\u2026`, false);
    Promise.all(ids.map((id) => fetchFunnel(id, pattern))).then((funnels) => {
      if (!funnels.some((funnel) => funnel.parts)) {
        show(`None of these funnels is in the library: ${ids.join(", ")}. A funnel may have been renamed.`, true);
        return;
      }
      root.textContent = "";
      noteRejected();
      const grid = document.createElement("div");
      grid.className = "fl-compare__grid";
      grid.style.setProperty("--fl-columns", funnels.length);
      grid.setAttribute("role", "region");
      grid.setAttribute("aria-label", "The funnels side by side");
      // One block per funnel: on a wide screen its cells join the grid (display: contents), one
      // column each, row by row; on a phone the blocks stack, each under its own sticky title.
      funnels.forEach((funnel, column) => {
        const block = document.createElement("div");
        block.className = "fl-compare__funnel";
        ROWS.forEach((row, line) => {
          let part = funnel.parts && funnel.parts[row];
          if (!part) part = row === "title" ? missing(funnel.id) : cell(row);
          if (row === "title") part.appendChild(removeButton(funnel));
          part.style.gridColumn = String(column + 1);
          part.style.gridRow = String(line + 1);
          block.appendChild(part);
        });
        grid.appendChild(block);
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
