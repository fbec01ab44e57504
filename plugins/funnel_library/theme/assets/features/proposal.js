/* The contributor guide's proposal: a coverage link (?type=…&input=…) names the type and the
   stage of a funnel the library lacks, and the guide's example entry shows them. Values are
   checked against strict patterns and set as text, never as HTML. Root: [data-fl-fill]. */

const TYPES = ["lead-generation", "sales-conversion", "customer-success"];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHECKS = { type: (value) => TYPES.includes(value), input: (value) => ID.test(value) };

/* The value a query gives for a field ("type" or "input"), or null when it is missing or not one
   the guide could show. */
export function proposalValue(field, query) {
  const check = Object.prototype.hasOwnProperty.call(CHECKS, field) ? CHECKS[field] : null;
  const value = check ? query.get(field) : null;
  return value && check(value) ? value : null;
}

export function mount(element) {
  const value = proposalValue(element.getAttribute("data-fl-fill"), new URLSearchParams(window.location.search));
  if (value) element.textContent = value;
}
