/* Materials' `{{variable}}` syntax, as core/materials.py defines it: a name of lowercase letters,
   digits and `_`, starting with a letter, between double braces. tests/test_front_end_units.py
   holds fillTemplate to the build's fill() on the same texts and values. */

const VARIABLE = /\{\{([a-z][a-z0-9_]*)\}\}/g;

/* `text` with each variable that `values` (a Map of name to text) has a non-blank value for
   replaced by that value, in one pass: a value is never read as a template itself. The others
   stay as written, to be filled in where the text is pasted. */
export function fillTemplate(text, values) {
  return text.replace(VARIABLE, (written, name) => {
    const value = values.get(name);
    return typeof value === "string" && value.trim() !== "" ? value : written;
  });
}

/* The names a text uses, once each, in order of first use. */
export function usedVariables(text) {
  return Array.from(new Set(Array.from(text.matchAll(VARIABLE), (match) => match[1])));
}
