// The filter sheet's words and focus cycle (plugins/funnel_library/theme/assets/lib/sheet.js), run by `node --test`
// in the fast tier.

import test from "node:test";
import assert from "node:assert/strict";
import { nextInCycle, showLabel } from "../../plugins/funnel_library/theme/assets/lib/sheet.js";

test("the main button counts the results it will show", () => {
  assert.equal(showLabel(1), "Show 1 result");
  assert.equal(showLabel(12), "Show 12 results");
  assert.equal(showLabel(1234), "Show 1,234 results");
  assert.equal(showLabel(0), "No results: untick a value");
  assert.equal(showLabel(null), "Show the results");
  assert.equal(showLabel(Number.NaN), "Show the results");
});

test("Tab cycles inside the sheet, both ways, and wraps at each end", () => {
  assert.equal(nextInCycle(3, 0, false), 1);
  assert.equal(nextInCycle(3, 2, false), 0);
  assert.equal(nextInCycle(3, 0, true), 2);
  assert.equal(nextInCycle(3, 1, true), 0);
  assert.equal(nextInCycle(3, -1, false), 0);
  assert.equal(nextInCycle(3, -1, true), 2);
  assert.equal(nextInCycle(0, -1, false), -1);
});
