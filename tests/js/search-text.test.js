// What the search box shows (theme/assets/lib/search-text.js), run by `node --test` in the fast tier.

import test from "node:test";
import assert from "node:assert/strict";
import { GROUPS, markedPieces, sameSiteUrl, statusText } from "../../theme/assets/lib/search-text.js";

test("funnels come first, then the library's pages, then the guide", () => {
  assert.deepEqual(GROUPS.map((group) => group.section), ["funnels", "library", "guide"]);
});

test("a result links only to a path on this site", () => {
  assert.equal(sameSiteUrl("/funnels/a/"), "/funnels/a/");
  for (const url of ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "funnels/a/", "", null, undefined, 7, "\\\\host"]) {
    assert.equal(sameSiteUrl(url), null, String(url));
  }
});

test("only the marks around matched words are split out; everything else stays in the pieces as they came", () => {
  assert.deepEqual(markedPieces("Send a <mark>cold</mark> email"), [
    { html: "Send a ", marked: false }, { html: "cold", marked: true }, { html: " email", marked: false }]);
  assert.deepEqual(markedPieces("<mark></mark><img src=x onerror=alert(1)>"), [{ html: "<img src=x onerror=alert(1)>", marked: false }]);
  assert.deepEqual(markedPieces(""), []);
  assert.deepEqual(markedPieces("<mark>a<b>b</b></mark>"), [{ html: "a<b>b</b>", marked: true }]);
});

test("the line above the results says how many pages match", () => {
  assert.equal(statusText(1, "email"), "1 page matches \u201cemail\u201d");
  assert.equal(statusText(4, "email"), "4 pages match \u201cemail\u201d");
  assert.equal(statusText(0, "zzz"), "Nothing matches \u201czzz\u201d. Try another word, or browse the library.");
});
