// The front end's layout, run by `node --test` in the fast tier: the entry names a module for each
// feature, each module exports mount() and loads under Node without touching a page (the DOM is
// only used once mount() runs), and the proposal filler shows only values it can vouch for.

import test from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FEATURES } from "../../plugins/funnel_library/theme/assets/funnel-library.js";
import { proposalValue } from "../../plugins/funnel_library/theme/assets/features/proposal.js";

const ENTRY = new URL("../../plugins/funnel_library/theme/assets/funnel-library.js", import.meta.url);

test("every feature has a name, a root and a module that exports mount", async () => {
  assert.ok(FEATURES.length >= 8);
  assert.equal(new Set(FEATURES.map((feature) => feature.name)).size, FEATURES.length);
  for (const feature of FEATURES) {
    const url = new URL(feature.module, ENTRY);
    assert.ok(feature.module.startsWith("./features/") && existsSync(fileURLToPath(url)), feature.module);
    assert.ok(feature.root.includes("[data-"), `${feature.name} mounts on a data attribute: ${feature.root}`);
    const module = await import(url.href);
    assert.equal(typeof module.mount, "function", feature.module);
  }
});

test("the proposal shows a type or a stage only when it is one the guide could name", () => {
  const query = (text) => new URLSearchParams(text);
  assert.equal(proposalValue("type", query("type=sales-conversion")), "sales-conversion");
  assert.equal(proposalValue("input", query("input=meeting-booked")), "meeting-booked");
  for (const text of ["type=unknown-type", "type=", "type=%3Cb%3E", "input=Lead", "input=a%20b", "input=-x", ""]) {
    assert.equal(proposalValue(text.split("=")[0] || "type", query(text)), null, text);
  }
  assert.equal(proposalValue("constructor", query("constructor=x")), null);
  assert.equal(proposalValue("__proto__", query("__proto__=x")), null);
});
