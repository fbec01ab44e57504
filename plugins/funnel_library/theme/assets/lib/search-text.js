/* What the search box shows and what a query matches, with no page in it (features/search.js
   draws it): the groups of results, which result addresses may be linked, how an excerpt's marks
   are split out, the terms a query is searched as (with the library's words for a visitor's),
   which of Pagefind's matches are honest, how pages are ranked, and the line that says how many
   pages match. */

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

/* The line above the results: how many pages hold every word of the query, and how many more
   hold some of them. */
export function statusText(total, query, some = 0) {
  const more = some ? `; ${some} more ${some === 1 ? "has" : "have"} some of its words` : "";
  if (total) return `${total}${total === 1 ? " page matches " : " pages match "}\u201c${query}\u201d${more}`;
  if (some) return `No page has every word of \u201c${query}\u201d; ${some} ${some === 1 ? "has" : "have"} some of them`;
  return `Nothing matches \u201c${query}\u201d. Try another word, or browse the library.`;
}

/* The library's words a query was searched with besides the visitor's ("target account" for
   "ABM"), said under the count so that the highlights explain themselves; "" when none. */
export function alsoSearched(terms) {
  const extra = terms.flatMap((term) => term.alternatives.slice(1).map((alt) => alt.text));
  return extra.length ? `Also searched: ${extra.map((word) => `\u201c${word}\u201d`).join(", ")}` : "";
}

/* What the results say when no funnel holds every word of the query (a link to propose one follows). */
export const noFunnelText = (query) => `No funnel about \u201c${query}\u201d yet.`;

/* The words of a query (or of an excerpt's marked word) as the index compares them: lower case
   letters and digits; anything else (a space, a hyphen, a quote) separates words. */
export const wordsOf = (text) => String(text).toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) || [];

/* Shorter than this, a query word matches only itself (a whole word), never a word it begins. */
export const SHORTEST_PREFIX = 3;

/* How a word or phrase is searched in Pagefind: a phrase, or a word shorter than SHORTEST_PREFIX,
   as an exact search ("…": the same word or its inflections, a phrase's words in a row); a longer
   word by prefix ("web" finds "webinar"), which search.js checks with honestMatch before trusting. */
export function alternative(text) {
  const words = wordsOf(text);
  if (words.length > 1) return { query: `"${words.join(" ")}"`, kind: "phrase", text: words.join(" ") };
  const word = words[0];
  if (word.length < SHORTEST_PREFIX) return { query: `"${word}"`, kind: "exact", text: word };
  return { query: word, kind: "prefix", text: word };
}

/* The terms a query is searched as. Each term is one word of the query, or a phrase of the
   vocabulary (search-words.json: a visitor's word or phrase -> the library's words for it),
   the longest phrase first; a page matches a term when it matches any of the term's
   alternatives: the visitor's own words, then the library's.
   Returns [{ text, alternatives: [{ query, kind, text }] }]. */
export function queryTerms(query, vocabulary = {}) {
  const words = wordsOf(query);
  const known = (text) => Object.hasOwn(vocabulary, text) && Array.isArray(vocabulary[text]);
  const longest = Math.max(1, ...Object.keys(vocabulary).map((key) => key.split(" ").length));
  const terms = [];
  for (let at = 0; at < words.length;) {
    let size = Math.min(longest, words.length - at);
    while (size > 1 && !known(words.slice(at, at + size).join(" "))) size -= 1;
    const text = words.slice(at, at + size).join(" ");
    const seen = new Set();
    const alternatives = [text, ...(known(text) ? vocabulary[text] : [])]
      .filter((word) => typeof word === "string" && wordsOf(word).length)
      .map(alternative)
      .filter((alt) => !seen.has(alt.query) && seen.add(alt.query));
    terms.push({ text, alternatives });
    at += size;
  }
  return terms;
}

/* Whether a word Pagefind matched (``found``, as an excerpt marks it) honestly answers the query
   word ``asked``. Pagefind matches a query word by the indexed words whose stem begins with its
   stem or, when there are none, by the one longest indexed word that begins it ("upsell" finds
   "up", "abm" finds "a"). A match is honest when the two are the same word or, for a query word of
   SHORTEST_PREFIX letters or more, when both begin with the same SHORTEST_PREFIX letters: a real
   prefix ("web", "webinar") or an inflection ("referrals", "referral"), never a one- or
   two-letter guess. */
export function honestMatch(found, asked) {
  const a = wordsOf(asked).join("");
  const f = wordsOf(found).join("");
  if (!a || !f) return false;
  if (a.length < SHORTEST_PREFIX) return f === a;
  return f.slice(0, SHORTEST_PREFIX) === a.slice(0, SHORTEST_PREFIX);
}

/* The words an excerpt marks, as text. */
export const markedWords = (html) => markedPieces(html)
  .filter((piece) => piece.marked)
  .map((piece) => piece.html.replace(/<[^>]*>|&[a-z]+;|&#\d+;/g, " "));

/* Pages ranked from what each term found: ``found`` is [[termIndex, results]], each result
   { id, score }. Pages that match every term come first; within each part, by the sum of their
   scores (Pagefind weighs a word in the title above one in the text, so "proposal follow up"
   lists "Proposal to signed first order" before a page that mentions "follow" and "up"). Returns [{ id, terms, all, score, best }], where ``best`` is the
   result that scored most (its excerpt is shown). */
export function rankPages(found, termCount) {
  const pages = new Map();
  for (const [term, results] of found) {
    for (const result of results) {
      const page = pages.get(result.id) || { id: result.id, terms: new Set(), score: 0, best: result };
      page.terms.add(term);
      page.score += result.score;
      if (result.score > page.best.score) page.best = result;
      pages.set(result.id, page);
    }
  }
  const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return Array.from(pages.values(), (page) => ({ ...page, terms: page.terms.size, all: page.terms.size === termCount }))
    .sort((a, b) => Number(b.all) - Number(a.all) || b.score - a.score || byId(a, b));
}
