/* Funnel Library: the planner's arithmetic, with no page in it.

   The page script (funnel-library.js) reads it as window.FunnelLibraryPlanner; the unit tests
   (tests/js/, run by `node --test` in the fast tier) load it as a CommonJS module. Every
   function is pure and finishes in a bounded number of steps whatever it is given: a planner
   link is written by whoever shares it, so nothing here may loop on the numbers in a URL. */
(function (root, build) {
  "use strict";
  var planner = build();
  if (typeof module === "object" && module.exports) module.exports = planner;
  else root.FunnelLibraryPlanner = planner;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* The most people a plan may start with, and the smallest share a step may pass on
     (0.01%, the same floor as the entries' schema: plugins/funnel_library/schemas). */
  var MAX_PEOPLE = 1000000000;
  var SHARE_FLOOR = 0.0001;
  /* Below this share a percentage is printed as "<0.001%" (the build's percent() does the same). */
  var PERCENT_FLOOR = 0.00001;
  var format = new Intl.NumberFormat("en-US");

  /* People entering the first step, then the people who move on after each step: the volume is
     multiplied by each share left to right in double precision and each figure rounded half up,
     as the build's model.forecast does, so the page's own figures are matched exactly. */
  function forecast(volume, conversions) {
    var exact = volume;
    var people = [volume];
    conversions.forEach(function (conversion) {
      exact = exact * conversion;
      people.push(Math.floor(exact + 0.5));
    });
    return people;
  }

  /* A whole number of people from 1 to MAX_PEOPLE, or an error in plain words. Thousands may be
     separated by commas or spaces, as the page writes them ("5,000"). */
  function parseVolume(text) {
    var trimmed = String(text).trim().replace(/^([0-9]{1,3})((?:[, \u00a0\u202f][0-9]{3})+)$/, function (all, head, groups) {
      return head + groups.replace(/[, \u00a0\u202f]/g, "");
    });
    if (!/^[0-9]+$/.test(trimmed)) return { error: "Enter a whole number of people, like 1000." };
    var value = Number(trimmed);
    if (value < 1) return { error: "Start with at least 1 person." };
    if (value > MAX_PEOPLE) return { error: "Use at most " + format.format(MAX_PEOPLE) + " people." };
    return { value: value };
  }

  /* A percentage ("35", "35%", "0.5") as a share from SHARE_FLOOR to 1, or an error. */
  function parseShare(text) {
    var trimmed = String(text).trim().replace(/%$/, "");
    if (!/^[0-9]{1,12}(\.[0-9]{1,12})?$/.test(trimmed)) return { error: "Enter each share as a percentage, like 35." };
    var value = Number(trimmed) / 100;
    if (!(value >= SHARE_FLOOR && value <= 1)) return { error: "A share must be at least " + percent(SHARE_FLOOR) + " and at most 100%." };
    return { value: value };
  }

  /* Whether every share is a number the arithmetic can use (the page reads them from attributes). */
  function usableShares(conversions) {
    return conversions.length > 0 && conversions.every(function (c) { return typeof c === "number" && c >= 0 && c <= 1; });
  }

  /* The same text as the build's percent(): one decimal place from 1%, two significant digits
     below it, and "<0.001%" under that, so no share is ever printed as "0%" or as a long row
     of zeros. */
  function percent(share) {
    if (!(share > 0)) return "0%";
    if (share < PERCENT_FLOOR) return "<0.001%";
    var value = share * 100;
    var text = value >= 1 ? value.toFixed(1) : value.toFixed(Math.max(2, 1 - Math.floor(Math.log10(value))));
    if (text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text + "%";
  }

  /* The fewest people (1 to MAX_PEOPLE) who must enter so that at least `target` reach the end,
     by the forecast's own arithmetic, or null when even MAX_PEOPLE would bring fewer. The last
     figure never falls as the start grows (each rounded product is monotone), so a binary
     search finds the fewest in at most 30 forecasts. */
  function neededStart(target, conversions) {
    if (!usableShares(conversions)) return null;
    var reach = function (volume) { var people = forecast(volume, conversions); return people[people.length - 1]; };
    if (!(reach(MAX_PEOPLE) >= target)) return null;
    var low = 1;
    var high = MAX_PEOPLE;
    while (low < high) {
      var middle = Math.floor((low + high) / 2);
      if (reach(middle) >= target) high = middle; else low = middle + 1;
    }
    return low;
  }

  return {
    MAX_PEOPLE: MAX_PEOPLE,
    SHARE_FLOOR: SHARE_FLOOR,
    format: function (number) { return format.format(number); },
    forecast: forecast,
    parseVolume: parseVolume,
    parseShare: parseShare,
    usableShares: usableShares,
    percent: percent,
    neededStart: neededStart,
  };
});
