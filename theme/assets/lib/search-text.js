/* What the search box shows, with no page in it (features/search.js draws it): the groups of
   results, which result addresses may be linked, how an excerpt's marks are split out, and the
   line that says how many pages match. */

/* Funnels first, then the other library pages, then the contributor guide (each page's section
   is written into the index by the build). */
export const GROUPS = [
  { section: "funnels", title: "Funnels", limit: 8 },
  { section: "library", title: "Library pages", limit: 4 },
  { section: "guide", title: "Contributor guide", limit: 4 },
];

/* A result's address when it is a path on this site ("/funnels/x/"), else null: never another
   host ("//host"), never a scheme ("javascript:"). */
export const sameSiteUrl = (url) => (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null);

/* Pagefind's excerpt is text with <mark> around the matched words: its pieces in order, each
   { html, marked }. Only the marks become elements; each piece's HTML is read as text. */
export function markedPieces(html) {
  const pieces = [];
  let marked = false;
  for (const piece of String(html).split(/(<mark>|<\/mark>)/)) {
    if (piece === "<mark>") marked = true;
    else if (piece === "</mark>") marked = false;
    else if (piece) pieces.push({ html: piece, marked });
  }
  return pieces;
}

/* The line above the results. */
export function statusText(total, query) {
  return total
    ? `${total}${total === 1 ? " page matches " : " pages match "}\u201c${query}\u201d`
    : `Nothing matches \u201c${query}\u201d. Try another word, or browse the library.`;
}
