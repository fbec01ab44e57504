// ESLint for the front end (plugins/funnel_library/theme/assets/: ES modules run by the browser, no build step) and its
// Node tests (tests/js/). Pinned in package.json; tests/test_front_end_units.py runs it in the fast
// tier and fails on any finding.

import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      eqeqeq: "error",
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { args: "none" }],
    },
  },
  {
    files: ["plugins/funnel_library/theme/assets/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
    rules: {
      // No file over 400 lines: a feature that grows splits into modules.
      "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
      // Features talk through DOM events, not globals: nothing is hung on window.
      // nor stuck on DOM nodes (el.flState = ...): state stays in the module (a WeakMap or a
      // closure), or in a data attribute.
      "no-restricted-syntax": ["error", {
        selector: "AssignmentExpression > MemberExpression.left[object.name='window']",
        message: "Features talk through DOM events (lib/page.js), not globals on window.",
      }, {
        selector: "AssignmentExpression > MemberExpression.left[property.name=/^fl[A-Z]/]",
        message: "Keep a feature's state in its module (a WeakMap) or in a data attribute, not on a DOM node.",
      }],
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
