// What the search box shows (plugins/funnel_library/theme/assets/lib/search-text.js), run by `node --test` in the fast tier.

import test from "node:test";
import assert from "node:assert/strict";
import {
  GROUPS, alsoSearched, alternative, honestMatch, markedPieces, markedWords, noFunnelText, queryTerms, rankPages, sameSiteUrl, statusText, wordsOf,
} from "../../plugins/funnel_library/theme/assets/lib/search-text.js";

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

test("the line says how many pages hold every word, and how many more hold some", () => {
  assert.equal(statusText(2, "proposal follow up", 5), "2 pages match \u201cproposal follow up\u201d; 5 more have some of its words");
  assert.equal(statusText(0, "pricing page", 1), "No page has every word of \u201cpricing page\u201d; 1 has some of them");
  assert.equal(noFunnelText("cold call"), "No funnel about \u201ccold call\u201d yet.");
});

test("a query's words are compared in lower case, split at anything but letters and digits", () => {
  assert.deepEqual(wordsOf("Follow-up, ABM!"), ["follow", "up", "abm"]);
  assert.deepEqual(wordsOf("  "), []);
});

test("a word shorter than three letters, or a phrase, is searched whole; a longer word by prefix", () => {
  assert.deepEqual(alternative("up"), { query: "\"up\"", kind: "exact", text: "up" });
  assert.deepEqual(alternative("target account"), { query: "\"target account\"", kind: "phrase", text: "target account" });
  assert.deepEqual(alternative("Webinar"), { query: "webinar", kind: "prefix", text: "webinar" });
});

test("a visitor's phrase becomes one term with the library's words; other words are terms of their own", () => {
  const vocabulary = { abm: ["target account"], "cold call": ["phone"], upsell: ["expansion", "upgrade"] };
  assert.deepEqual(queryTerms("Cold call now", vocabulary).map((t) => [t.text, t.alternatives.map((a) => a.query)]),
    [["cold call", ["\"cold call\"", "phone"]], ["now", ["now"]]]);
  assert.deepEqual(queryTerms("ABM", vocabulary)[0].alternatives.map((a) => a.query), ["abm", "\"target account\""]);
  assert.deepEqual(queryTerms("upsell", {}).map((t) => t.alternatives.length), [1]);
  // nothing in the vocabulary can add a term that is not a string, or run code
  assert.deepEqual(queryTerms("abm", { abm: [7, null, ""] })[0].alternatives.map((a) => a.query), ["abm"]);
  assert.deepEqual(queryTerms("constructor", {}).map((t) => t.text), ["constructor"]);
});

test("a match is honest when it shares the query word's first three letters, or is the short word itself", () => {
  assert.equal(honestMatch("up", "upsell"), false); // Pagefind's guess for a word it does not have
  assert.equal(honestMatch("a", "abm"), false);
  assert.equal(honestMatch("Webinar.", "web"), true);
  assert.equal(honestMatch("referral", "referrals"), true);
  assert.equal(honestMatch("`abm`,", "abm"), true);
  assert.equal(honestMatch("update", "up"), false);
  assert.equal(honestMatch("Up", "up"), true);
  assert.deepEqual(markedWords("x <mark>target</mark> <mark>accounts.</mark>"), ["target", "accounts."]);
});

test("pages with every term come first, then by score; each keeps its best result", () => {
  const found = [[0, [{ id: "a", score: 1 }, { id: "b", score: 9 }]], [1, [{ id: "a", score: 2 }, { id: "c", score: 5 }]]];
  const ranked = rankPages(found, 2);
  assert.deepEqual(ranked.map((p) => [p.id, p.all, p.terms]), [["a", true, 2], ["b", false, 1], ["c", false, 1]]);
  assert.equal(ranked[0].best.score, 2);
  assert.deepEqual(rankPages([], 1), []);
});

test("the library's words searched besides the visitor's are said", () => {
  assert.equal(alsoSearched(queryTerms("abm", { abm: ["target account"] })), "Also searched: \u201ctarget account\u201d");
  assert.equal(alsoSearched(queryTerms("webinar", {})), "");
});
