/* The map's focus, with no page in it (features/focus.js draws it). A key names a stage, a
   funnel or a group of funnels (stage-lead, funnel-cold-email-to-meeting); the build writes it
   into class names (fl-id-<key> on a node, fl-end-<key> on an edge for each of its two ends), so
   a key is checked against this pattern before it goes into a selector, and never read from text. */

const KEY = /^(stage|funnel|group)-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/* Whether a value from the address or a list is a key. */
export const isKey = (key) => typeof key === "string" && KEY.test(key);

export const isStage = (key) => key.startsWith("stage-");

/* The keys in a list of class names that start with a prefix ("fl-end-", "fl-id-"). */
export const keysIn = (classes, prefix) => Array.from(classes).filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length));

/* What focusing on `key` keeps: the key, what its edges join it to, and for a stage also the
   far ends of those funnels (the stages they bring people from or take them to).
   `endsAround(k)` gives, for each edge that touches k, its two ends [from, to]. */
export function neighbourhood(key, endsAround) {
  const on = new Set([key]);
  for (const ends of endsAround(key)) ends.forEach((end) => on.add(end));
  if (isStage(key)) {
    for (const near of Array.from(on)) {
      if (!isStage(near)) for (const ends of endsAround(near)) ends.forEach((end) => on.add(end));
    }
  }
  return on;
}

/* An edge stays lit when both of its ends are kept. */
export const edgeKept = (ends, on) => ends.every((end) => on.has(end));

/* The line under the choice: for a stage, how many funnels bring people in and take them on. */
export function focusStatus(key, name, endsAround) {
  if (!isStage(key)) return `${name}: where it takes people from, and where it delivers them.`;
  const edges = endsAround(key);
  const into = edges.filter((ends) => ends[1] === key).length;
  const out = edges.length - into;
  return `${name}: ${into} funnel${into === 1 ? "" : "s"} bring people in, ${out} take them on.`;
}
