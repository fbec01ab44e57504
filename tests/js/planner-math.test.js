// The planner's arithmetic (plugins/funnel_library/theme/assets/lib/planner-math.js), run by `node --test` in the fast tier
// (tests/test_front_end_units.py). Every case that could hang a visitor's tab has a time limit.

import test from "node:test";
import assert from "node:assert/strict";
import { MAX_PEOPLE, SHARE_FLOOR, forecast, format, neededStart, parseShare, parseVolume, percent, shareText } from "../../plugins/funnel_library/theme/assets/lib/planner-math.js";

const reach = (volume, shares) => forecast(volume, shares).at(-1);

/* The answer by definition: the fewest starting people whose forecast reaches the target. */
function fewestByDefinition(target, shares) {
  for (let volume = 1; volume <= 200000; volume += 1) if (reach(volume, shares) >= target) return volume;
  throw new Error("out of the brute-force range");
}

test("the forecast multiplies left to right and rounds each figure half up", () => {
  assert.deepEqual(forecast(1000, [0.5, 0.4, 0.5]), [1000, 500, 200, 100]);
  assert.deepEqual(forecast(3, [0.5]), [3, 2]);
  assert.deepEqual(forecast(1, [0.0001]), [1, 0]);
});

test("the fewest people to start with is the smallest start whose forecast reaches the goal", () => {
  const cases = [
    [20, [0.3, 0.5, 0.25, 0.4]],
    [1, [0.5, 0.5]],
    [7, [0.9, 0.01, 0.8]],
    [100, [1, 1, 1]],
    [3, [0.333, 0.5, 0.75, 0.2, 0.6]],
  ];
  for (const [target, shares] of cases) {
    const start = neededStart(target, shares);
    assert.equal(start, fewestByDefinition(target, shares), `${target} ${shares}`);
    assert.ok(reach(start, shares) >= target);
    if (start > 1) assert.ok(reach(start - 1, shares) < target);
  }
});

test("seeded random plans agree with the definition", () => {
  let seed = 7;
  const random = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
  for (let i = 0; i < 300; i += 1) {
    const shares = Array.from({ length: 3 + Math.floor(random() * 3) }, () => Math.round((0.05 + random() * 0.95) * 1000) / 1000);
    const target = 1 + Math.floor(random() * 40);
    assert.equal(neededStart(target, shares), fewestByDefinition(target, shares), `${target} ${shares}`);
  }
});

test("a goal no start up to the most people can reach is said to be unreachable, at once", { timeout: 2000 }, () => {
  const hostile = [
    [5, [0.00001, 0.00001, 0.00001, 0.00001]],  // the shared link of issue #30: volume past 2^53
    [5, [5e-324]],                                // the product rounds to 0
    [5, [1e-300, 1e-300]],
    [5, [0.000001, 0.000001, 0.000001]],
    [5, Array(12).fill(0.05)],                    // a journey of 12 funnels
    [MAX_PEOPLE + 1, [1, 1]],
    [2, [0]],
    [1, []],
    [5, [NaN, 0.5]],
    [5, [Infinity]],
    [5, [-0.5]],
    [5, [2]],
    [5, ["0.5"]],
    [Infinity, [0.5]],
    [NaN, [0.5]],
  ];
  for (const [target, shares] of hostile) assert.equal(neededStart(target, shares), null, `${target} ${shares}`);
});

test("the largest reachable goal is found without stepping one person at a time", { timeout: 2000 }, () => {
  assert.equal(neededStart(MAX_PEOPLE, [1, 1, 1]), MAX_PEOPLE);
  const shares = [0.0001, 0.0001];  // one in a hundred million
  assert.equal(neededStart(10, shares), fewestAbove(10, shares));
});

/* For large starts: the smallest start by bisection on the definition's own arithmetic,
   checked at its two ends. */
function fewestAbove(target, shares) {
  const start = neededStart(target, shares);
  assert.ok(reach(start, shares) >= target && reach(start - 1, shares) < target);
  return start;
}

test("a start is a whole number of people from 1 to a billion", () => {
  assert.deepEqual(parseVolume(" 1000 "), { value: 1000 });
  assert.deepEqual(parseVolume(String(MAX_PEOPLE)), { value: MAX_PEOPLE });
  assert.deepEqual(parseVolume("100,000,000"), { value: 100000000 });  // as the page writes it
  assert.deepEqual(parseVolume("5 000"), { value: 5000 });
  for (const misplaced of ["1,00", "10,00,000", ",100", "100,", "1,000,00"]) assert.ok(parseVolume(misplaced).error, misplaced);
  for (const bad of ["", "0", "-5", "1.5", "1e3", "10".repeat(5000), String(MAX_PEOPLE + 1), "12abc", "0x10", "\u0661\u0662"]) {
    assert.ok(parseVolume(bad).error, bad);
  }
});

test("a share is a percentage from the floor to 100, and anything else is an error in plain words", () => {
  assert.deepEqual(parseShare("35"), { value: 0.35 });
  assert.deepEqual(parseShare("35%"), { value: 0.35 });
  assert.deepEqual(parseShare("100"), { value: 1 });
  assert.deepEqual(parseShare(String(SHARE_FLOOR * 100)), { value: SHARE_FLOOR });
  for (const bad of ["0", "0.001", "0.00999", "100.1", "1e2", "-3", "", "abc", "NaN", "Infinity", "1".repeat(400), "5".repeat(30) + ".5"]) {
    const parsed = parseShare(bad);
    assert.ok(parsed.error && !("value" in parsed), bad);
  }
  assert.equal(parseShare("0.001").error, "A share must be at least 0.01% and at most 100%.");
});

test("a percentage is short and never reads as zero for a share above zero", () => {
  assert.equal(percent(0.125), "12.5%");
  assert.equal(percent(1), "100%");
  assert.equal(percent(0.0042), "0.42%");
  assert.equal(percent(0.00001), "0.001%");
  assert.equal(percent(0.0000099), "<0.001%");
  assert.equal(percent(5e-324), "<0.001%");
  assert.equal(percent(0), "0%");
  for (let exponent = -320; exponent <= 0; exponent += 0.37) {
    const text = percent(10 ** exponent);
    assert.ok(text.length <= 8 && text !== "0%", `${exponent} ${text}`);
  }
});

test("whole numbers are written with thousands separators, and a share as a visitor types it", () => {
  assert.equal(format(5000), "5,000");
  assert.equal(format(MAX_PEOPLE), "1,000,000,000");
  assert.equal(shareText(0.35), "35");
  assert.equal(shareText(0.0001), "0.01");
  assert.equal(shareText(0.123456), "12.346");
});
