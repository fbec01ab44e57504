/* A funnel's copy-ready materials: one form fills every `{{variable}}` on the page at once, and
   each material's Copy button puts its text, filled in, on the clipboard. What a visitor types
   stays in the browser: kept in localStorage under one key, never sent, never in a cookie; Clear
   removes it. The sender's own blanks (`your_…`, the same on every funnel) carry to the next
   funnel; every other blank is kept for its own funnel only, since `first_name` is a prospect on
   one funnel and a customer on another. Without this script the materials read as written and
   the form stays hidden. Root: [data-fl-materials] (the funnel's article). */

import { fillTemplate } from "../lib/materials.js";

const STORE = "funnel-library:blanks";
const SENDER = /^your_/;

/* { sender: {name: text}, funnels: {id: {name: text}} }, whatever the storage held. */
function stored() {
  const empty = { sender: {}, funnels: {} };
  try {
    const data = JSON.parse(window.localStorage.getItem(STORE) || "{}");
    if (!data || typeof data !== "object" || Array.isArray(data)) return empty;
    const sender = data.sender && typeof data.sender === "object" && !Array.isArray(data.sender) ? data.sender : {};
    const funnels = data.funnels && typeof data.funnels === "object" && !Array.isArray(data.funnels) ? data.funnels : {};
    return { sender, funnels };
  } catch {
    return empty;
  }
}

function store(data) {
  try {
    window.localStorage.setItem(STORE, JSON.stringify(data));
  } catch {
    /* storage may be off or full: filling in still works for this page */
  }
}

/* Where one blank of one funnel is kept: the sender's blanks for every funnel, the rest per funnel. */
function shelf(data, funnelId, name, create) {
  if (SENDER.test(name)) return data.sender;
  const own = Object.prototype.hasOwnProperty.call(data.funnels, funnelId) ? data.funnels[funnelId] : null;
  if (own && typeof own === "object" && !Array.isArray(own)) return own;
  if (!create) return {};
  data.funnels[funnelId] = {};
  return data.funnels[funnelId];
}

/* The blanks' values as typed: a Map, so no name can reach an object's own properties. */
function valuesOf(inputs) {
  return new Map(inputs.map((input) => [input.getAttribute("data-fl-blank"), input.value]));
}

function showValues(root, values) {
  for (const element of root.querySelectorAll(".fl-var[data-fl-var]")) {
    const name = element.getAttribute("data-fl-var");
    const value = values.get(name);
    const filled = typeof value === "string" && value.trim() !== "";
    element.textContent = filled ? value : `{{${name}}}`;
    element.classList.toggle("fl-var--filled", filled);
  }
}

async function copy(text, body) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* refused (no permission): select the text instead */
    }
  }
  const range = document.createRange();
  range.selectNodeContents(body);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return false;
}

function mountCopy(material, values) {
  const button = material.querySelector("[data-fl-copy-button]");
  const status = material.querySelector(".fl-copy-status");
  const body = material.querySelector(".fl-material__body");
  if (!button || !body) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = fillTemplate(material.getAttribute("data-fl-copy") || "", values());
    const copied = await copy(text, body);
    if (status) status.textContent = copied ? "Copied, with your words filled in." : "Selected: press Ctrl+C (or \u2318C) to copy.";
  });
}

export function mount(root) {
  const funnelId = root.getAttribute("data-funnel-id") || "";
  const panel = root.querySelector("details.fl-fill");
  const form = panel && panel.querySelector("form");
  const summary = panel && panel.querySelector("summary");
  const summaryText = summary ? summary.textContent : "";
  const inputs = form ? Array.from(form.querySelectorAll("input[data-fl-blank]")) : [];
  const values = () => valuesOf(inputs);
  const nameOf = (input) => input.getAttribute("data-fl-blank");
  const own = (object, name) => Object.prototype.hasOwnProperty.call(object, name) && typeof object[name] === "string";

  /* The summary says how many blanks hold a value, so values kept from a last visit are never a surprise. */
  function count() {
    if (!summary) return;
    const filled = inputs.filter((input) => input.value.trim()).length;
    summary.textContent = filled ? `${summaryText.replace(/\)$/, "")}, ${filled} filled in)` : summaryText;
  }

  if (form) {
    const kept = stored();
    for (const input of inputs) {
      const place = shelf(kept, funnelId, nameOf(input), false);
      if (own(place, nameOf(input))) input.value = place[nameOf(input)];
    }
    panel.hidden = false;
    if (inputs.some((input) => input.value.trim())) panel.open = true;
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", () => {
      const data = stored();
      for (const input of inputs) {
        const place = shelf(data, funnelId, nameOf(input), true);
        if (input.value.trim()) place[nameOf(input)] = input.value;
        else delete place[nameOf(input)];
      }
      store(data);
      showValues(root, values());
      count();
    });
    form.addEventListener("reset", () => {
      const data = stored();
      for (const input of inputs) delete shelf(data, funnelId, nameOf(input), true)[nameOf(input)];
      store(data);
      setTimeout(() => { showValues(root, values()); count(); }); /* after the form has cleared its fields */
    });
  }
  for (const material of root.querySelectorAll("[data-fl-material]")) mountCopy(material, values);
  showValues(root, values());
  count();
}
