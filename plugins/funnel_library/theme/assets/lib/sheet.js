/* A sheet (the filters on a phone), with no page in it: the words of its main button, and where
   Tab goes next inside it (focus stays in an open sheet, as in any modal dialog). */

/* The sheet's main button: how many results the ticked filters leave, or null when the count
   is not known (a listing split into pages, back to its first view). */
export function showLabel(shown) {
  if (shown === null || shown === undefined || !Number.isFinite(shown)) return "Show the results";
  if (shown === 0) return "No results: untick a value";
  return `Show ${shown.toLocaleString("en")} result${shown === 1 ? "" : "s"}`;
}

/* The index Tab (or Shift+Tab) moves to among `count` focusable elements, from `current` (-1: focus
   is not on one of them): it wraps from the last to the first and back. -1 when there are none. */
export function nextInCycle(count, current, backwards) {
  if (count <= 0) return -1;
  if (current < 0) return backwards ? count - 1 : 0;
  return (current + (backwards ? count - 1 : 1)) % count;
}
