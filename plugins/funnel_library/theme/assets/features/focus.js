/* Focus on the map: choosing a stage (in the list, or by selecting its oval) or a funnel keeps
   what flows in and out of it and fades the rest. The choice lives in the address
   (?focus=stage-lead), so it can be shared. What a focus keeps, and the keys' checks, are
   lib/focus-keys.js. Root: the form, [data-fl-focus]. */

import { edgeKept, focusStatus, isKey, keysIn, neighbourhood } from "../lib/focus-keys.js";
import { params, replaceQuery } from "../lib/page.js";

export function mount(form) {
  const figure = form.parentElement.querySelector(".fl-map");
  const svg = figure && figure.querySelector("svg");
  if (!svg) return;
  const select = form.querySelector("select");
  const status = form.querySelector(".fl-focus__status");
  const viewport = figure.querySelector(".fl-viewport");

  // Keys are checked (isKey) before they reach a selector.
  const node = (key) => svg.querySelector(`.fl-node.fl-id-${key}`);
  const edges = (key) => Array.from(svg.querySelectorAll(`.fl-edge.fl-end-${key}`));
  const ends = (edge) => keysIn(edge.classList, "fl-end-");
  const endsAround = (key) => edges(key).map(ends);
  function nameOf(key) {
    const option = select.querySelector(`option[value="${key}"]`);
    return option ? option.textContent : key;
  }

  function apply(key, updateUrl) {
    svg.querySelectorAll(".fl-on, .fl-focus-centre").forEach((el) => el.classList.remove("fl-on", "fl-focus-centre"));
    const centre = key && isKey(key) ? node(key) : null;
    if (!centre) {
      svg.classList.remove("fl-focusing");
      select.value = "";
      status.textContent = "";
    } else {
      const on = neighbourhood(key, endsAround);
      on.forEach((near) => {
        const lit = node(near);
        if (lit) lit.classList.add("fl-on");
        edges(near).forEach((edge) => { if (edgeKept(ends(edge), on)) edge.classList.add("fl-on"); });
      });
      centre.classList.add("fl-focus-centre");
      svg.classList.add("fl-focusing");
      select.value = key;
      status.textContent = focusStatus(key, nameOf(key), endsAround);
      if (viewport) {
        const box = centre.getBoundingClientRect();
        const frame = viewport.getBoundingClientRect();
        viewport.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
        viewport.scrollTop += box.top + box.height / 2 - (frame.top + frame.height / 2);
      }
    }
    if (updateUrl) {
      const query = params();
      if (centre) query.set("focus", key); else query.delete("focus");
      replaceQuery(query);
    }
  }

  select.addEventListener("change", () => apply(select.value, true));
  form.addEventListener("submit", (event) => event.preventDefault());
  // Selecting a stage's oval focuses it (without script it opens the coverage page).
  svg.querySelectorAll(".fl-stage a").forEach((link) => {
    link.addEventListener("click", (event) => {
      const key = keysIn(link.closest(".fl-stage").classList, "fl-id-")[0];
      if (!key) return;
      event.preventDefault();
      apply(svg.classList.contains("fl-focusing") && select.value === key ? "" : key, true);
    });
  });
  apply(params().get("focus"), false);
}
