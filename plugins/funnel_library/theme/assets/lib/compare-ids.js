/* The funnels picked for comparing, with no page in them: at most three funnel ids, each a
   well-formed id, once. They come from the address (?f=a,b,c) or from the tab's storage, both of
   which anyone can write, so every list is cleaned before it is used. */

export const MOST = 3;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEY = "fl-compare";

/* The well-formed ids of a list, each once, the first MOST of them. */
export function clean(ids) {
  const out = [];
  for (const id of Array.isArray(ids) ? ids : []) {
    if (out.length >= MOST) break;
    if (typeof id === "string" && ID.test(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/* The ids in an address's f parameter ("a,b,c"). */
export const fromQuery = (text) => clean(String(text || "").split(","));

/* The query that holds a choice: "f=a,b" (commas as they are, so the address reads), or "". */
export const queryFor = (ids) => (ids.length ? `f=${ids.join(",")}` : "");

/* The ids kept in the Storage that `storage()` gives (the tab's sessionStorage: reading that
   property alone throws where a browser blocks storage); none when it cannot be read. */
export function stored(storage) {
  try {
    return clean(JSON.parse(storage().getItem(KEY) || "[]"));
  } catch {
    return [];
  }
}

/* Keeps the ids there; where storage is refused, the choice lasts for the page. */
export function store(storage, ids) {
  try {
    storage().setItem(KEY, JSON.stringify(clean(ids)));
  } catch {
    /* the tray still works on this page */
  }
}

/* The tray's line: how many are ticked, and what to do next. */
export function trayStatus(count) {
  if (count === 1) return "1 funnel ticked: tick one or two more";
  return `${count} funnels ticked${count >= MOST ? " (the most)" : ""}`;
}
