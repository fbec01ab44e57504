/* The planner above a forecast table (funnel and journey pages): start with a number of people,
   or aim for a number at the end and see how many must start; optionally with the visitor's own
   shares. The arithmetic is lib/planner-math.js, the same as the build's (model.forecast), so the
   numbers match the ones printed into the page exactly. The plan lives in the address
   (?enter=5000 or ?goal=20, and &share-<step>=35). Root: the form, [data-fl-calculator]. */

import { MAX_PEOPLE, SHARE_FLOOR, forecast, format, neededStart, parseShare, parseVolume, percent, shareText } from "../lib/planner-math.js";
import { params, replaceQuery } from "../lib/page.js";

const DASH = "\u2013";
/* A wrong value from a link or a field is kept in the address and the fields cut this short. */
const KEPT = 24;
const MOVING_FIGURES = '[data-derived="volume"], [data-derived="enter"], [data-derived="reach-goal"], [data-derived="reach-end"], [data-derived="reached"]';

export function mount(form) {
  const table = form.nextElementSibling;
  if (!table || !table.classList.contains("fl-metrics")) return;
  const input = form.querySelector('input[name="volume"]');
  const target = form.querySelector('input[name="target"]');
  const sharesButton = form.querySelector(".fl-calculator__shares");
  const plan = form.querySelector(".fl-calculator__plan");
  const error = form.querySelector(".fl-calculator__error");
  const rows = Array.from(table.querySelectorAll("tbody tr"));
  const keys = rows.map((row) => row.getAttribute("data-step") || row.getAttribute("data-funnel"));
  const recipe = rows.map((row) => parseFloat(row.getAttribute("data-conversion")));
  // Where result reports exist, own shares start from the measured ones.
  const start = rows.map((row, i) => (row.hasAttribute("data-measured") ? parseFloat(row.getAttribute("data-measured")) : recipe[i]));
  const shareCells = rows.map((row) => row.querySelector("[data-share]"));
  const endToEnd = table.querySelector('caption [data-derived="end-to-end"]');
  const recipeText = {
    cells: shareCells.map((cell) => (cell ? cell.textContent : "")),
    reached: rows.map((row) => { const cell = row.querySelector('[data-derived="reached"]'); return cell ? cell.textContent : ""; }),
    end: endToEnd ? endToEnd.textContent : "",
  };
  let shareInputs = null;
  const openLabel = sharesButton.textContent;
  const goalWord = (target.nextElementSibling || { textContent: "" }).textContent;
  // What the figures count where the plan starts ("target accounts"), from the form.
  const unit = (count) => form.getAttribute(count === 1 ? "data-unit-one" : "data-unit-other") || (count === 1 ? "person" : "people");

  /* The unit beside a figure in one row (a journey's table names each funnel's own unit). */
  function agreeInRow(row, key, count) {
    row.querySelectorAll(`[data-plural-row="${key}"]`).forEach((word) => {
      word.textContent = word.getAttribute(count === 1 ? "data-one" : "data-other");
    });
  }

  function agree(key, count) {
    table.querySelectorAll(`[data-plural="${key}"]`).forEach((word) => {
      word.textContent = word.getAttribute(count === 1 ? "data-one" : "data-other");
    });
  }

  function blank(message) {
    // No figure may stay on screen for a plan that is not valid: they are blanked until it is.
    error.textContent = message;
    plan.textContent = "";
    table.classList.add("fl-metrics--invalid");
    table.querySelectorAll(MOVING_FIGURES).forEach((el) => { el.textContent = DASH; });
    table.querySelectorAll('[data-derived="move-on"]').forEach((el) => { el.firstChild.textContent = DASH; });
    if (endToEnd && shareInputs) endToEnd.textContent = DASH;
    // "Of – people who enter, – reach the goal": the words agree with no number.
    table.querySelectorAll("[data-plural], [data-plural-row]").forEach((word) => { word.textContent = word.getAttribute("data-other"); });
  }

  function currentShares() {
    if (!shareInputs) return { value: recipe.slice() };
    // Every field in error is marked; the message is the first one's.
    const shares = [];
    let firstError = null;
    shareInputs.forEach((field) => {
      const parsed = parseShare(field.value);
      if (parsed.error) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
      if (parsed.error && !firstError) firstError = parsed.error;
      shares.push(parsed.value);
    });
    return firstError ? { error: firstError } : { value: shares };
  }

  /* The address holds what the planner shows, a wrong value too (cut short), so a reload or a
     shared link shows the same plan or the same error. */
  function writeUrl(mode, text) {
    const query = params();
    ["enter", "goal"].forEach((name) => query.delete(name));
    keys.forEach((key) => query.delete(`share-${key}`));
    if (text) query.set(mode, text);
    if (shareInputs) {
      shareInputs.forEach((field, index) => {
        const parsed = parseShare(field.value);
        const shown = parsed.error ? field.value.trim().slice(0, KEPT) : shareText(parsed.value);
        if (shown !== shareText(recipe[index])) query.set(`share-${keys[index]}`, shown);
      });
    }
    replaceQuery(query);
  }

  function update(mode, keepUrl) {
    const shares = currentShares();
    const source = mode === "goal" ? target : input;
    const parsed = parseVolume(source.value);
    input.removeAttribute("aria-invalid");
    target.removeAttribute("aria-invalid");
    if (!keepUrl) writeUrl(mode === "goal" ? "goal" : "enter", parsed.error ? source.value.trim().slice(0, KEPT) : String(parsed.value));
    if (parsed.error) {
      source.setAttribute("aria-invalid", "true");
      return blank(parsed.error);
    }
    if (shares.error) return blank(shares.error);
    const conversions = shares.value;
    let volume = parsed.value;
    if (mode === "goal") {
      volume = neededStart(parsed.value, conversions);
      if (volume === null) {
        target.setAttribute("aria-invalid", "true");
        return blank(`Not reachable with these shares: even ${format(MAX_PEOPLE)} ${unit(MAX_PEOPLE)} at the start would bring fewer than ${
          format(parsed.value)} to the end. Aim lower, or raise the shares.`);
      }
      input.value = format(volume);
      plan.textContent = `To have at least ${format(parsed.value)} at ${goalWord.replace(/^at /, "")}, start with ${
        format(volume)} ${unit(volume)}.`;
    } else {
      target.value = "";
      plan.textContent = "";
    }
    error.textContent = "";
    table.classList.remove("fl-metrics--invalid");
    const people = forecast(volume, conversions);
    const last = people[people.length - 1];
    let reached = 1;
    rows.forEach((row, index) => {
      const enter = row.querySelector('[data-derived="enter"]');
      if (enter) enter.textContent = format(people[index]);
      agreeInRow(row, "enter", people[index]);
      agreeInRow(row, "reach", people[index + 1]);
      const moveOn = row.querySelector('[data-derived="move-on"]') || row.querySelector('[data-derived="reach-goal"]');
      if (moveOn) moveOn.firstChild.textContent = format(people[index + 1]);
      reached *= conversions[index];
      const share = row.querySelector('[data-derived="reached"]');
      if (share) share.textContent = shareInputs ? percent(reached) : recipeText.reached[index];
      const bar = row.querySelector(".fl-bar__fill");
      if (bar) bar.style.width = `${(reached * 100).toFixed(1)}%`;
    });
    if (endToEnd) endToEnd.textContent = shareInputs ? percent(reached) : recipeText.end;
    table.querySelectorAll('[data-derived="volume"]').forEach((el) => { el.textContent = format(volume); });
    table.querySelectorAll('[data-derived="reach-goal"], [data-derived="reach-end"]').forEach((el) => {
      if (!el.closest("tbody")) el.textContent = format(last);
    });
    agree("volume", volume);
    agree("reach-goal", last);
    agree("reach-end", last);
    if (keepUrl && source !== document.activeElement) source.value = format(parsed.value);  // a link's 5000 reads 5,000
  }

  const mode = () => (target.value.trim() ? "goal" : "start");

  function openShares(values) {
    if (shareInputs) return;
    shareInputs = shareCells.map((cell, index) => {
      if (!cell) return null;
      const field = document.createElement("input");
      field.type = "number";
      field.inputMode = "decimal";
      field.min = String(SHARE_FLOOR * 100);
      field.max = "100";
      field.step = "any";
      field.className = "fl-share-input";
      field.value = values ? values[index] : shareText(start[index]);
      const name = rows[index].querySelector("th");
      field.setAttribute("aria-label", `Share moving on, in percent: ${name ? name.firstChild.textContent.trim() : keys[index]}`);
      field.addEventListener("input", () => update(mode()));
      cell.textContent = "";
      const pair = document.createElement("span");  // the field and its unit stay side by side at any width
      pair.className = "fl-share-field";
      const unit = document.createElement("span");
      unit.textContent = "%";
      unit.setAttribute("aria-hidden", "true");
      pair.append(field, unit);
      cell.appendChild(pair);
      return field;
    });
    sharesButton.setAttribute("aria-pressed", "true");
    sharesButton.textContent = "Back to the recipe's shares";
  }

  function closeShares() {
    if (!shareInputs) return;
    shareCells.forEach((cell, index) => { if (cell) cell.textContent = recipeText.cells[index]; });
    shareInputs = null;
    sharesButton.setAttribute("aria-pressed", "false");
    sharesButton.textContent = openLabel;
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); update(mode()); });
  input.addEventListener("input", () => { target.value = ""; update("start"); });
  // Separators once the visitor leaves a field (not while typing, which would move the cursor).
  [input, target].forEach((field) => {
    field.addEventListener("change", () => {
      const parsed = parseVolume(field.value);
      if (!parsed.error) field.value = format(parsed.value);
    });
  });
  target.addEventListener("input", () => update(target.value.trim() ? "goal" : "start"));
  sharesButton.addEventListener("click", () => {
    if (shareInputs) closeShares(); else openShares(null);
    update(mode());
    if (shareInputs && shareInputs[0]) shareInputs[0].focus();
  });

  // A shared plan: ?enter=5000 or ?goal=20, and &share-<step>=35 for the visitor's own shares.
  const link = params();
  // A share the link got wrong is shown as it came (cut short), so its error names it.
  const own = keys.map((key, index) => {
    const raw = link.get(`share-${key}`);
    return raw === null ? shareText(recipe[index]) : raw.slice(0, KEPT);
  });
  if (keys.some((key) => link.has(`share-${key}`))) openShares(own);
  if (link.has("goal")) { target.value = link.get("goal"); update("goal", true); }
  else if (link.has("enter")) { input.value = link.get("enter"); update("start", true); }
  else if (shareInputs) update("start", true);
}
