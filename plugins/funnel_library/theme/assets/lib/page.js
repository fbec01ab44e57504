/* What the features share: the page's address, and the events they send each other. Features
   never call one another: one dispatches a CustomEvent on the document, another listens. */

/* Filters drew cards the server did not write (a listing split into pages): anything that
   marks cards (the compare boxes) marks the new ones. Sent on the document; detail.root is the
   element that holds the new cards. */
export const CARDS_DRAWN = "funnel-library:cards-drawn";

/* The parameters of the page's address. */
export const params = () => new URLSearchParams(window.location.search);

/* The address with this query, in place (no history entry), so a reload or a shared link shows
   the same state. */
export function replaceQuery(query) {
  const text = String(query);
  history.replaceState(null, "", window.location.pathname + (text ? `?${text}` : "") + window.location.hash);
}

/* Sends `name` on the document, with `detail`. */
export function announce(name, detail) {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}
