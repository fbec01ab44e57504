// Filling in materials' variables (plugins/funnel_library/theme/assets/lib/materials.js), run by `node --test` in the
// fast tier. tests/test_front_end_units.py also holds it to the build's fill() on generated texts.

import test from "node:test";
import assert from "node:assert/strict";
import { fillTemplate, usedVariables } from "../../plugins/funnel_library/theme/assets/lib/materials.js";

test("each variable with a value is replaced, the others stay as written", () => {
  const values = new Map([["first_name", "Ana"]]);
  assert.equal(fillTemplate("Hi {{first_name}} at {{company}}.", values), "Hi Ana at {{company}}.");
});

test("blank values keep the variable, and malformed ones are never touched", () => {
  const values = new Map([["first_name", "  "], ["company", "Acme"]]);
  assert.equal(fillTemplate("{{first_name}} {{ company }} {{Company}} {{company}}", values), "{{first_name}} {{ company }} {{Company}} Acme");
});

test("a value is text, never a template or a replacement pattern", () => {
  const values = new Map([["a", "{{b}}"], ["b", "$& $1 $$"]]);
  assert.equal(fillTemplate("{{a}} / {{b}}", values), "{{b}} / $& $1 $$");
});

test("names that are also object properties are plain names", () => {
  assert.equal(fillTemplate("{{constructor}} {{to_string}} {{proto}}", new Map()), "{{constructor}} {{to_string}} {{proto}}");
  assert.equal(fillTemplate("{{constructor}}", new Map([["constructor", "x"]])), "x");
});

test("the names a text uses, once each, in order", () => {
  assert.deepEqual(usedVariables("{{b}} {{a}} {{b}} {{ c }}"), ["b", "a"]);
});
