// The map's focus (plugins/funnel_library/theme/assets/lib/focus-keys.js), run by `node --test` in the fast tier: a key
// from the address reaches a selector only when it is one the build writes.

import test from "node:test";
import assert from "node:assert/strict";
import { edgeKept, focusStatus, isKey, keysIn, neighbourhood } from "../../plugins/funnel_library/theme/assets/lib/focus-keys.js";

test("a key is a stage, a funnel or a group followed by a well-formed id, and nothing else", () => {
  for (const key of ["stage-lead", "funnel-cold-email-to-meeting", "group-lead-generation-lead-meeting"]) assert.ok(isKey(key), key);
  const hostile = ["", "stage-", "stage", "lead", "funnel-__proto__", "stage-a b", "stage-a\"]", "stage-A", "node-x", "constructor",
                   "stage-a,.fl-node", "stage-" + "a".repeat(3000) + " ", "\u202estage-a", null, undefined, 5];
  for (const key of hostile) assert.ok(!isKey(key), String(key).slice(0, 40));
});

test("keys are read from class names by their prefix, in order", () => {
  assert.deepEqual(keysIn(["fl-edge", "fl-end-stage-lead", "fl-end-funnel-a", "fl-on"], "fl-end-"), ["stage-lead", "funnel-a"]);
  assert.deepEqual(keysIn(new Set(["fl-node", "fl-id-stage-lead"]), "fl-id-"), ["stage-lead"]);
});

// lead -> funnel-a -> meeting -> funnel-b -> customer; funnel-c: lead -> other
const EDGES = [["stage-lead", "funnel-a"], ["funnel-a", "stage-meeting"], ["stage-meeting", "funnel-b"], ["funnel-b", "stage-customer"],
               ["stage-lead", "funnel-c"], ["funnel-c", "stage-other"]];
const around = (key) => EDGES.filter((edge) => edge.includes(key));

test("a stage keeps the funnels that touch it and the stages at their far ends; a funnel keeps its two stages", () => {
  assert.deepEqual([...neighbourhood("stage-meeting", around)].sort(), ["funnel-a", "funnel-b", "stage-customer", "stage-lead", "stage-meeting"]);
  assert.deepEqual([...neighbourhood("funnel-a", around)].sort(), ["funnel-a", "stage-lead", "stage-meeting"]);
  const on = neighbourhood("funnel-a", around);
  assert.ok(edgeKept(["stage-lead", "funnel-a"], on) && !edgeKept(["stage-lead", "funnel-c"], on));
});

test("the line under the choice counts the funnels into and out of a stage", () => {
  assert.equal(focusStatus("stage-meeting", "Meeting", around), "Meeting: 1 funnel bring people in, 1 take them on.");
  assert.equal(focusStatus("stage-lead", "Lead", around), "Lead: 0 funnels bring people in, 2 take them on.");
  assert.equal(focusStatus("funnel-a", "A", around), "A: where it takes people from, and where it delivers them.");
});
