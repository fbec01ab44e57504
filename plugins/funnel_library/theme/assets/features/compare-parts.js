/* The parts of a funnel's page that the compare page lays side by side, taken from the HTML the
   build wrote (so they read exactly as on the funnel's page). The funnel page's template marks
   each part with data-fl-compare-part (PARTS); nothing here reads a styling class. */

/* Every part this module reads, by its data-fl-compare-part name. */
export const PARTS = ["title", "badges", "goal", "stages", "fit", "good-for", "not-for", "motion", "first-result", "effort", "needs", "diagram", "step", "step-name",
  "step-meta", "figures", "evidence", "note"];

/* The facts of "Before you start" the compare page sets side by side, with their labels. */
const FIT = [["good-for", "Good for"], ["not-for", "Not for"], ["motion", "Motion and buyers"], ["first-result", "First result"],
  ["effort", "Effort per week"], ["needs", "In place first"]];

/* A fact's words on one line: its list items separated by "; ", its chips by spaces. */
function factText(fact) {
  const parts = [];
  const walk = (node) => {
    node.childNodes.forEach((child) => {
      if (child.nodeType === 3) parts.push(child.textContent);
      else if (child.nodeType === 1 && child.tagName === "LI") parts.push(`${parts.length ? "; " : ""}${child.textContent.trim()}`);
      else if (child.nodeType === 1) { parts.push(" "); walk(child); parts.push(" "); }
    });
  };
  walk(fact);
  return parts.join("").replace(/\s+;/g, ";").replace(/:\s*;\s*/g, ": ").replace(/^;\s*/, "").replace(/\s+/g, " ").trim();
}

const selector = (name) => `[data-fl-compare-part="${name}"]`;

/* Links made absolute against the funnel's page, and no ids (they would clash across columns). */
function absolutise(root, base) {
  root.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
  root.querySelectorAll("a[href]").forEach((a) => a.setAttribute("href", new URL(a.getAttribute("href"), base).href));
  return root;
}

/* One cell of the grid: a row's name, and its heading when it has one. */
export function cell(row, heading) {
  const section = document.createElement("section");
  section.className = `fl-compare__cell fl-compare__cell--${row}`;
  if (heading) {
    const title = document.createElement("h3");
    title.className = "fl-compare__row-title";
    title.textContent = heading;
    section.appendChild(title);
  }
  return section;
}

function diagramCell(article, url, title) {
  const diagram = cell("diagram", "Diagram");
  // The drawing, not the toolbar's icons (those are hidden from assistive technology; the drawing is not).
  const svg = article.querySelector(`${selector("diagram")} svg:not([aria-hidden="true"])`);
  if (!svg) return diagram;
  const copy = document.importNode(svg, true);
  copy.querySelectorAll("a").forEach((a) => {
    const href = a.getAttribute("href") || a.getAttribute("xlink:href") || "";
    if (href.charAt(0) === "#") a.setAttribute("href", url + href);
  });
  copy.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
  // Its size at 100% is kept; the compare page draws every column's diagram at one scale.
  copy.setAttribute("data-fl-width", copy.getAttribute("width") || "0");
  copy.setAttribute("data-fl-height", copy.getAttribute("height") || "0");
  copy.removeAttribute("width");
  copy.removeAttribute("height");
  copy.classList.add("fl-compare__svg");
  const frame = document.createElement("div");
  frame.className = "fl-compare__frame";
  frame.setAttribute("data-fl-title", title);
  frame.appendChild(copy);
  diagram.appendChild(frame);
  return diagram;
}

function stepsCell(article) {
  const steps = cell("steps", "Steps");
  const list = document.createElement("ol");
  list.className = "fl-compare__steps";
  article.querySelectorAll(selector("step")).forEach((step) => {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = (step.querySelector(selector("step-name")) || { textContent: "" }).textContent.replace(/^\d+\.\s*/, "");
    const meta = document.createElement("span");
    meta.className = "fl-compare__meta";
    meta.textContent = (step.querySelector(selector("step-meta")) || { textContent: "" }).textContent;
    li.append(name, meta);
    list.appendChild(li);
  });
  steps.appendChild(list);
  return steps;
}

/* The cells of one funnel (title, facts, diagram, steps, figures, evidence) from its page's
   HTML, or null when the page holds no funnel. */
export function parts(html, url) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const article = doc.querySelector("article[data-funnel-id]");
  if (!article) return null;
  const find = (name) => article.querySelector(selector(name));
  const out = {};

  const head = cell("title");
  const h2 = document.createElement("h2");
  const link = document.createElement("a");
  link.href = url;
  link.textContent = (find("title") || { textContent: "" }).textContent;
  h2.appendChild(link);
  head.appendChild(h2);
  const badges = find("badges");
  if (badges) head.appendChild(absolutise(document.importNode(badges, true), url));
  out.title = head;

  out.facts = cell("facts");
  [["Goal", find("goal")], ["Moves people from", find("stages")]].forEach(([label, fact]) => {
    if (!fact) return;
    const p = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = `${label}: `;
    p.append(strong, fact.textContent.trim());
    out.facts.appendChild(p);
  });

  out.fit = cell("fit", "Before you start");
  FIT.forEach(([name, label]) => {
    const fact = find(name);
    if (!fact) return;
    const p = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = `${label}: `;
    p.append(strong, factText(fact));
    out.fit.appendChild(p);
  });

  out.diagram = diagramCell(article, url, link.textContent);
  out.steps = stepsCell(article);

  out.figures = cell("figures", "End to end");
  const caption = find("figures");
  if (caption) {
    const p = document.createElement("p");
    p.textContent = caption.textContent.trim();
    out.figures.appendChild(p);
  }

  // The evidence: what follows its heading, up to the next section's heading; then the first
  // note about the figures.
  out.evidence = cell("evidence", "Evidence");
  const heading = find("evidence");
  for (let node = heading && heading.nextElementSibling; node && node.tagName !== heading.tagName; node = node.nextElementSibling) {
    out.evidence.appendChild(absolutise(document.importNode(node, true), url));
  }
  const note = find("note");
  if (note) out.evidence.appendChild(absolutise(document.importNode(note, true), url));
  return out;
}
