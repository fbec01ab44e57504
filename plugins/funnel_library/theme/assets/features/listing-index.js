/* A listing split into pages (a large library) names the compact index of every card
   (data-fl-index on its results). Page 1 and its links work without script; once a visitor
   filters or sorts, features/filters.js loads this module and the index, once, and draws the
   matching cards from it, from a copy of a card on the page. Every string from the index is set
   as text. */

import { indexItems } from "../lib/facets.js";

const SVG = "http://www.w3.org/2000/svg";
const loaded = new WeakMap();  // results element -> the promise of its index

/* The index's items and the sizes of the cards' step chains, loaded once per listing. */
export function loadIndex(results) {
  if (!loaded.has(results)) {
    const url = new URL(results.getAttribute("data-fl-index"), window.location.href);
    const type = results.getAttribute("data-fl-type");
    loaded.set(results, fetch(url.href, { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error(`index ${response.status}`);
      return response.json();
    }).then((index) => ({ items: indexItems(index, url, type), chain: index.chain })));
  }
  return loaded.get(results);
}

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

/* A card's picture of the funnel: one bar per step, at the place and height the build computed. */
function chainSvg(svg, record, chain) {
  const step = chain.bar + chain.gap;
  const middle = chain.height / 2;
  const goalX = record.bars.length * step + chain.bar / 2;
  const width = goalX + chain.bar / 2;
  svg.textContent = "";
  svg.setAttribute("width", width);
  svg.setAttribute("viewBox", `0 0 ${width} ${chain.height}`);
  record.bars.forEach((place, index) => {
    svg.appendChild(svgElement("path", { class: "fl-chain__link", d: `M${index * step + chain.bar} ${middle}H${index * step + step}` }));
  });
  record.bars.forEach((place, index) => {  // [y, height], as the build computed them
    svg.appendChild(svgElement("rect", { class: "fl-chain__step", x: index * step, y: place[0], width: chain.bar, height: place[1], rx: 2 }));
  });
  svg.appendChild(svgElement("circle", { class: "fl-chain__goal", cx: goalX, cy: middle, r: record.goal }));
}

/* A card for an index item, from a copy of `template` (a card the server wrote). `common` is the
   evidence level most cards share: a card names its own only when it differs. */
export function drawCard(template, item, chain, common) {
  const record = item.record;
  const card = template.cloneNode(true);
  card.hidden = false;
  card.setAttribute("data-id", record.id);
  const link = card.querySelector(".fl-card__title a");
  link.href = item.href;
  link.textContent = record.title;
  const badges = card.querySelector(".fl-card__badges");
  const typeBadge = badges.querySelector(".fl-badge--type").cloneNode(false);
  typeBadge.className = `fl-badge fl-badge--type fl-type-${record.type}`;
  typeBadge.textContent = item.typeName;
  badges.textContent = "";
  badges.appendChild(typeBadge);
  if (item.badge[0] !== common) {
    const evidence = document.createElement("span");
    evidence.className = `fl-badge fl-badge--evidence fl-evidence-${item.badge[0]}`;
    evidence.textContent = item.badge[1];
    badges.append(" ", evidence);
  }
  card.querySelector(".fl-card__summary").textContent = record.summary;
  const svg = card.querySelector("svg.fl-chain");
  svg.setAttribute("class", `fl-chain fl-type-${record.type}`);
  chainSvg(svg, record, chain);
  card.querySelector(".fl-card__steps").textContent = `${record.steps} steps`;
  card.querySelector(".fl-card__conversion").textContent = `${record.figure} end to end`;
  const box = card.querySelector(".fl-compare-box");
  if (box) {
    box.value = record.id;
    box.setAttribute("aria-label", `Compare ${record.title}`);
  }
  let owners = card.querySelector(".fl-card__owners");
  if (owners && record.owners) owners.textContent = record.owners;
  else if (owners) owners.remove();
  else if (record.owners) {
    owners = document.createElement("p");
    owners.className = "fl-card__owners";
    owners.textContent = record.owners;
    card.insertBefore(owners, card.querySelector(".fl-card__compare"));
  }
  return card;
}
