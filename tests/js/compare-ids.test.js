// The funnels picked for comparing (plugins/funnel_library/theme/assets/lib/compare-ids.js), run by `node --test` in the
// fast tier: the address and the tab's storage are written by anyone, so every list is cleaned.

import test from "node:test";
import assert from "node:assert/strict";
import { MOST, clean, fromQuery, queryFor, store, stored, trayStatus } from "../../plugins/funnel_library/theme/assets/lib/compare-ids.js";

test("only well-formed ids are kept, each once, at most three", () => {
  assert.equal(MOST, 3);
  assert.deepEqual(clean(["a", "b-c", "a", "d", "e"]), ["a", "b-c", "d"]);
  assert.deepEqual(clean(["<img src=x>", "Upper", "-lead", "trail-", "a--b", "", 7, null, "ok"]), ["ok"]);
  assert.deepEqual(clean("abc"), []);
  assert.deepEqual(clean({ length: 2, 0: "a", 1: "b" }), []);
  assert.deepEqual(clean(null), []);
  assert.deepEqual(clean(Array(5000).fill("same")), ["same"]);
});

test("the address's f parameter is read and written with plain commas", () => {
  assert.deepEqual(fromQuery("a,b,c,d"), ["a", "b", "c"]);
  assert.deepEqual(fromQuery(null), []);
  assert.deepEqual(fromQuery("__proto__,constructor"), ["constructor"]);  // a well-formed id: only ever a page's address
  assert.deepEqual(fromQuery(Array(1500).fill("x-y").join(",")), ["x-y"]);
  assert.equal(queryFor(["a", "b"]), "f=a,b");
  assert.equal(queryFor([]), "");
});

function memory(initial) {
  const data = new Map(initial ? [["fl-compare", initial]] : []);
  return { getItem: (key) => (data.has(key) ? data.get(key) : null), setItem: (key, value) => data.set(key, value), data };
}

test("the tab's storage is read through the same cleaning, and a storage that refuses is no error", () => {
  assert.deepEqual(stored(() => memory('["a","b"]')), ["a", "b"]);
  assert.deepEqual(stored(() => memory('{"0":"a"}')), []);
  assert.deepEqual(stored(() => memory("not json")), []);
  assert.deepEqual(stored(() => memory()), []);
  assert.deepEqual(stored(() => { throw new Error("SecurityError"); }), []);
  const kept = memory();
  store(() => kept, ["b", "b", "<x>", "c"]);
  assert.equal(kept.data.get("fl-compare"), '["b","c"]');
  assert.doesNotThrow(() => store(() => ({ setItem() { throw new Error("QuotaExceededError"); } }), ["a"]));
});

test("the tray says how many are ticked and what to do next", () => {
  assert.equal(trayStatus(1), "1 funnel ticked: tick one or two more");
  assert.equal(trayStatus(2), "2 funnels ticked");
  assert.equal(trayStatus(3), "3 funnels ticked (the most)");
});
