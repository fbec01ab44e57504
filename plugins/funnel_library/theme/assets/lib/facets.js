/* Filter matching, sorting and facet counts for the library's listings, with no page in them
   (features/filters.js applies them to the cards). An item is
   { title, conversion, steps, added, values(name) }: its lower-case title, its end-to-end share,
   its number of steps, the day it was added (ISO) and the values it has for a facet. A selection
   maps each facet's name to the values ticked in it. */

const byTitle = (a, b) => a.title.localeCompare(b.title);

/* The orders a listing offers, by the value of its Sort choice. */
export const SORTS = {
  title: byTitle,
  conversion: (a, b) => b.conversion - a.conversion || byTitle(a, b),
  steps: (a, b) => a.steps - b.steps || byTitle(a, b),
  newest: (a, b) => (a.added < b.added ? 1 : a.added > b.added ? -1 : 0) || byTitle(a, b),
};

/* The order to use for a requested one: only the listing's own (no prototype keys), else title. */
export const sortName = (requested) => (Object.prototype.hasOwnProperty.call(SORTS, requested) ? requested : "title");

/* Whether an item has one of the ticked values in every facet that has any ticked (within a
   facet any value matches; across facets all must). `except` leaves one facet out. */
export function matches(item, selection, except = null) {
  return Object.keys(selection).every((name) => {
    if (name === except || selection[name].length === 0) return true;
    const values = item.values(name);
    return selection[name].some((value) => values.includes(value));
  });
}

/* How many items a value would show if it were ticked too: the items that match every other
   facet and have that value. `options` is a list of [facet, value]. */
export function facetCounts(items, selection, options) {
  return options.map(([name, value]) => items.filter((item) => matches(item, selection, name) && item.values(name).includes(value)).length);
}

/* Whether the visitor chose anything: a value ticked, or an order other than by title. */
export const isActive = (selection, sort) => sortName(sort) !== "title" || Object.values(selection).some((values) => values.length > 0);

/* The address's query for a selection and an order (the order is left out when by title). */
export function queryFor(selection, sort) {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(selection)) for (const value of values) query.append(name, value);
  if (sortName(sort) !== "title") query.set("sort", sortName(sort));
  return query.toString();
}

/* The count above the results: "12 funnels", or "Showing 3 of 12 funnels". */
export const countText = (shown, total) => (shown < total ? `Showing ${shown} of ${total} funnels` : `${total} funnel${total === 1 ? "" : "s"}`);

/* The items of a listing's compact index (the build's cards.json: `fields` names the columns of
   each row of `funnels`), on a listing of one type or all (`type` empty). `base` is the index's
   own address, against which each funnel's URL is read. */
export function indexItems(index, base, type) {
  return index.funnels.map((row) => {
    const record = {};
    index.fields.forEach((field, at) => { record[field] = row[at]; });
    const evidence = index.evidence[record.evidence] || ["", ""];
    const values = { type: [record.type], evidence: [evidence[0]], input: [record.input], output: [record.output],
                     channel: record.channel, tag: record.tag, author: record.author,
                     motion: Array.isArray(record.motion) ? record.motion : [], effort: record.effort ? [record.effort] : [],
                     team: Array.isArray(record.team) ? record.team : [] };
    return { record, href: new URL(record.url, base).href, badge: evidence, typeName: index.types[record.type] || record.type,
             title: record.title.toLowerCase(), conversion: record.conversion, steps: record.steps, added: record.added,
             values: (name) => (Object.prototype.hasOwnProperty.call(values, name) && values[name]) || [] };
  }).filter((item) => !type || item.record.type === type);
}
