/* Funnel Library: the planner's arithmetic, with no page in it.

   The planner (features/planner.js) imports it; the unit tests (tests/js/, run by `node --test` in
   the fast tier) import it under Node. Every function is pure and finishes in a bounded number of
   steps whatever it is given: a planner link is written by whoever shares it, so nothing here may
   loop on the numbers in a URL. */

/* The most people a plan may start with, and the smallest share a step may pass on
   (0.01%, the same floor as the entries' schema: plugins/funnel_library/schemas). */
export const MAX_PEOPLE = 1000000000;
export const SHARE_FLOOR = 0.0001;
/* Below this share a percentage is printed as "<0.001%" (the build's percent() does the same). */
const PERCENT_FLOOR = 0.00001;
const numbers = new Intl.NumberFormat("en-US");

/* A whole number as the page writes it: 5000 as "5,000". */
export const format = (number) => numbers.format(number);

/* People entering the first step, then the people who move on after each step: the volume is
   multiplied by each share left to right in double precision and each figure rounded half up,
   as the build's model.forecast does, so the page's own figures are matched exactly. */
export function forecast(volume, conversions) {
  let exact = volume;
  const people = [volume];
  for (const conversion of conversions) {
    exact = exact * conversion;
    people.push(Math.floor(exact + 0.5));
  }
  return people;
}

/* A whole number of people from 1 to MAX_PEOPLE, or an error in plain words. Thousands may be
   separated by commas or spaces, as the page writes them ("5,000"). */
export function parseVolume(text) {
  const trimmed = String(text).trim().replace(/^([0-9]{1,3})((?:[, \u00a0\u202f][0-9]{3})+)$/,
    (all, head, groups) => head + groups.replace(/[, \u00a0\u202f]/g, ""));
  if (!/^[0-9]+$/.test(trimmed)) return { error: "Enter a whole number of people, like 1000." };
  const value = Number(trimmed);
  if (value < 1) return { error: "Start with at least 1 person." };
  if (value > MAX_PEOPLE) return { error: `Use at most ${format(MAX_PEOPLE)} people.` };
  return { value };
}

/* A percentage ("35", "35%", "0.5") as a share from SHARE_FLOOR to 1, or an error. */
export function parseShare(text) {
  const trimmed = String(text).trim().replace(/%$/, "");
  if (!/^[0-9]{1,12}(\.[0-9]{1,12})?$/.test(trimmed)) return { error: "Enter each share as a percentage, like 35." };
  const value = Number(trimmed) / 100;
  if (!(value >= SHARE_FLOOR && value <= 1)) return { error: `A share must be at least ${percent(SHARE_FLOOR)} and at most 100%.` };
  return { value };
}

/* Whether every share is a number the arithmetic can use (the page reads them from attributes). */
export function usableShares(conversions) {
  return conversions.length > 0 && conversions.every((c) => typeof c === "number" && c >= 0 && c <= 1);
}

/* The same text as the build's percent(): one decimal place from 1%, two significant digits
   below it, and "<0.001%" under that, so no share is ever printed as "0%" or as a long row
   of zeros. */
export function percent(share) {
  if (!(share > 0)) return "0%";
  if (share < PERCENT_FLOOR) return "<0.001%";
  const value = share * 100;
  let text = value >= 1 ? value.toFixed(1) : value.toFixed(Math.max(2, 1 - Math.floor(Math.log10(value))));
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return `${text}%`;
}

/* The fewest people (1 to MAX_PEOPLE) who must enter so that at least `target` reach the end,
   by the forecast's own arithmetic, or null when even MAX_PEOPLE would bring fewer. The last
   figure never falls as the start grows (each rounded product is monotone), so a binary
   search finds the fewest in at most 30 forecasts. */
export function neededStart(target, conversions) {
  if (!usableShares(conversions)) return null;
  const reach = (volume) => {
    const people = forecast(volume, conversions);
    return people[people.length - 1];
  };
  if (!(reach(MAX_PEOPLE) >= target)) return null;
  let low = 1;
  let high = MAX_PEOPLE;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (reach(middle) >= target) high = middle; else low = middle + 1;
  }
  return low;
}

/* A share as the percentage a visitor types: 0.35 as "35". */
export const shareText = (share) => String(Math.round(share * 100000) / 1000);
