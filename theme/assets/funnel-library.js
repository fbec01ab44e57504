/* Funnel Library: small enhancements. Every page works without this script. */
(function () {
  "use strict";

  var TYPES = ["lead-generation", "sales-conversion", "customer-success"];
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  /* Contributing page: fill in the type and stage a coverage link asked for.
     Values are checked against strict patterns and set as text, never as HTML. */
  function fillProposal() {
    var params = new URLSearchParams(window.location.search);
    var values = { type: params.get("type"), input: params.get("input") };
    if (values.type && TYPES.indexOf(values.type) < 0) values.type = null;
    if (values.input && !ID.test(values.input)) values.input = null;
    document.querySelectorAll("[data-fl-fill]").forEach(function (element) {
      var value = values[element.getAttribute("data-fl-fill")];
      if (value) element.textContent = value;
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fillProposal); /* Material's instant navigation */
  } else {
    document.addEventListener("DOMContentLoaded", fillProposal);
  }
})();
