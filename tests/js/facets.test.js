// Filter matching, sorting and facet counts (plugins/funnel_library/theme/assets/lib/facets.js), run by `node --test`
// in the fast tier.

import test from "node:test";
import assert from "node:assert/strict";
import { SORTS, countText, facetCounts, indexItems, isActive, matches, queryFor, sortName } from "../../plugins/funnel_library/theme/assets/lib/facets.js";

const item = (title, values, extra = {}) => ({ title, conversion: 0.1, steps: 4, added: "2026-01-01", values: (name) => values[name] || [], ...extra });
const ITEMS = [
  item("b email", { type: ["lead-generation"], channel: ["email", "phone"] }, { conversion: 0.2, steps: 3, added: "2026-02-01" }),
  item("a event", { type: ["lead-generation"], channel: ["event"] }, { conversion: 0.2, steps: 5, added: "2026-03-01" }),
  item("c trial", { type: ["sales-conversion"], channel: ["email"] }, { conversion: 0.05, steps: 4, added: "2026-01-15" }),
];
const none = { type: [], channel: [] };
const titles = (items) => items.map((one) => one.title);

test("within a facet any ticked value matches; across facets every facet must", () => {
  assert.deepEqual(titles(ITEMS.filter((one) => matches(one, none))), titles(ITEMS));
  assert.deepEqual(titles(ITEMS.filter((one) => matches(one, { type: [], channel: ["email", "event"] }))), ["b email", "a event", "c trial"]);
  assert.deepEqual(titles(ITEMS.filter((one) => matches(one, { type: ["lead-generation"], channel: ["email"] }))), ["b email"]);
  assert.deepEqual(titles(ITEMS.filter((one) => matches(one, { type: ["customer-success"], channel: [] }))), []);
});

test("a facet left out of the match counts what ticking one more of its values would show", () => {
  const selection = { type: ["lead-generation"], channel: ["email"] };
  assert.ok(matches(ITEMS[1], selection, "channel") && !matches(ITEMS[1], selection));
  const options = [["type", "lead-generation"], ["type", "sales-conversion"], ["channel", "email"], ["channel", "event"], ["channel", "phone"]];
  assert.deepEqual(facetCounts(ITEMS, selection, options), [1, 1, 1, 1, 1]);
  assert.deepEqual(facetCounts(ITEMS, none, options), [2, 1, 2, 1, 1]);
  assert.deepEqual(facetCounts(ITEMS, { type: ["sales-conversion"], channel: [] }, options), [2, 1, 1, 0, 0]);
});

test("each order breaks ties by title, and an order the listing does not offer is by title", () => {
  const sorted = (name) => titles([...ITEMS].sort(SORTS[sortName(name)]));
  assert.deepEqual(sorted("title"), ["a event", "b email", "c trial"]);
  assert.deepEqual(sorted("conversion"), ["a event", "b email", "c trial"]);
  assert.deepEqual(sorted("steps"), ["b email", "c trial", "a event"]);
  assert.deepEqual(sorted("newest"), ["a event", "b email", "c trial"]);
  for (const hostile of ["constructor", "__proto__", "toString", "hasOwnProperty", "", null, undefined, "Title"]) {
    assert.equal(sortName(hostile), "title", String(hostile));
  }
});

test("the address holds the ticked values in facet order and an order other than by title", () => {
  assert.equal(queryFor({ type: ["lead-generation"], channel: ["email", "event"] }, "steps"), "type=lead-generation&channel=email&channel=event&sort=steps");
  assert.equal(queryFor(none, "title"), "");
  assert.equal(queryFor(none, "constructor"), "");
  assert.equal(queryFor({ tag: ["a&b=c"] }, "title"), "tag=a%26b%3Dc");
  assert.ok(!isActive(none, "title") && isActive(none, "newest") && isActive({ type: ["x"] }, "title"));
});

test("the count above the results says how many show", () => {
  assert.equal(countText(3, 12), "Showing 3 of 12 funnels");
  assert.equal(countText(12, 12), "12 funnels");
  assert.equal(countText(1, 1), "1 funnel");
  assert.equal(countText(0, 0), "0 funnels");
});

test("the compact index becomes items of the listing's type, with links read against the index's address", () => {
  const index = {
    fields: ["id", "url", "title", "type", "evidence", "input", "output", "channel", "tag", "author", "conversion", "steps", "added", "team"],
    funnels: [
      ["one", "../funnels/one/", "Zed one", "lead-generation", 0, "lead", "meeting", ["email"], ["b2b"], ["ann"], 0.2, 3, "2026-01-01", ["marketing", "sales"]],
      ["two", "../funnels/two/", "Ay two", "sales-conversion", 1, "meeting", "customer", [], [], ["bob"], 0.1, 4, "2026-02-01"],
    ],
    evidence: [["illustrative", "Illustrative figures"], ["tested", "Tested"]],
    types: { "lead-generation": "Lead generation" },
  };
  const base = new URL("https://example.org/site/library/cards.json");
  const all = indexItems(index, base, "");
  assert.deepEqual(all.map((one) => one.href), ["https://example.org/site/funnels/one/", "https://example.org/site/funnels/two/"]);
  assert.deepEqual(all.map((one) => one.title), ["zed one", "ay two"]);
  assert.deepEqual(all[0].values("channel"), ["email"]);
  assert.deepEqual(all[1].values("evidence"), ["tested"]);
  assert.deepEqual(all[0].values("constructor"), []);
  assert.deepEqual(all[0].values("team"), ["marketing", "sales"]);
  assert.deepEqual(all[1].values("team"), []);  // an index written before teams: no team, no error
  assert.equal(all[1].typeName, "sales-conversion");  // a type the index does not name reads as its id
  assert.deepEqual(indexItems(index, base, "sales-conversion").map((one) => one.record.id), ["two"]);
});
