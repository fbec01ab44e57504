/* A funnel's copy-ready materials: one form fills every `{{variable}}` on the page at once, and
   each material's Copy button puts its text, filled in, on the clipboard. What a visitor types
   stays in the browser: kept in localStorage under one key (so "your company" carries to the next
   funnel), never sent, never in a cookie; Clear removes it. Without this script the materials
   read as written and the form stays hidden. Root: [data-fl-materials] (the funnel's article). */

import { fillTemplate } from "../lib/materials.js";

const STORE = "funnel-library:blanks";

function stored() {
  try {
    const data = JSON.parse(window.localStorage.getItem(STORE) || "{}");
    return data && typeof data === "object" && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

function store(data) {
  try {
    window.localStorage.setItem(STORE, JSON.stringify(data));
  } catch {
    /* storage may be off or full: filling in still works for this page */
  }
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
  const panel = root.querySelector("details.fl-fill");
  const form = panel && panel.querySelector("form");
  const inputs = form ? Array.from(form.querySelectorAll("input[data-fl-blank]")) : [];
  const values = () => valuesOf(inputs);
  if (form) {
    const kept = stored();
    for (const input of inputs) {
      const name = input.getAttribute("data-fl-blank");
      if (Object.prototype.hasOwnProperty.call(kept, name) && typeof kept[name] === "string") input.value = kept[name];
    }
    panel.hidden = false;
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", () => {
      const kept = stored();
      for (const input of inputs) {
        const name = input.getAttribute("data-fl-blank");
        if (input.value.trim()) kept[name] = input.value;
        else delete kept[name];
      }
      store(kept);
      showValues(root, values());
    });
    form.addEventListener("reset", () => {
      const kept = stored();
      for (const input of inputs) delete kept[input.getAttribute("data-fl-blank")];
      store(kept);
      setTimeout(() => showValues(root, values())); /* after the form has cleared its fields */
    });
  }
  for (const material of root.querySelectorAll("[data-fl-material]")) mountCopy(material, values);
  showValues(root, values());
}
