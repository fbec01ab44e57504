/* Funnel Library: small enhancements. Every page works without this script. */

/* Runs `setup` on each page: through Material's document$ stream when it is there
   (it also fires after instant navigation), else once the document is parsed. */
window.FunnelLibrary = {
  onEveryPage: function (setup) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setup);
    } else {
      document.addEventListener("DOMContentLoaded", setup);
    }
  },
};

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

  window.FunnelLibrary.onEveryPage(fillProposal);

  /* Material's search overlay is a dialog without a name: give it its search field's label,
     so screen readers announce what opened. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    var input = document.querySelector(".md-search__input");
    if (dialog && input) dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "Search");
  }

  window.FunnelLibrary.onEveryPage(nameSearchDialog);
})();

/* Forecast calculator: the same arithmetic as the build (model.forecast): the volume is
   multiplied by each share left to right in double precision, and each figure is rounded
   half up, so the numbers match the ones printed into the page exactly. */
(function () {
  "use strict";

  var MAX = 1000000000;
  var format = new Intl.NumberFormat("en-US");

  function forecast(volume, conversions) {
    var exact = volume;
    var people = [volume];
    conversions.forEach(function (conversion) {
      exact = exact * conversion;
      people.push(Math.floor(exact + 0.5));
    });
    return people;
  }

  function parseVolume(text) {
    var trimmed = String(text).trim();
    if (!/^[0-9]+$/.test(trimmed)) return { error: "Enter a whole number of people, like 1000." };
    var value = Number(trimmed);
    if (value < 1) return { error: "Start with at least 1 person." };
    if (value > MAX) return { error: "Use at most " + format.format(MAX) + " people." };
    return { value: value };
  }

  function setup(form) {
    var table = form.nextElementSibling;
    if (!table || !table.classList.contains("fl-metrics")) return;
    var input = form.querySelector("input");
    var error = form.querySelector(".fl-calculator__error");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var conversions = rows.map(function (row) { return parseFloat(row.getAttribute("data-conversion")); });

    function update() {
      var parsed = parseVolume(input.value);
      if (parsed.error) {
        error.textContent = parsed.error;
        input.setAttribute("aria-invalid", "true");
        return;
      }
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      var people = forecast(parsed.value, conversions);
      rows.forEach(function (row, index) {
        var enter = row.querySelector('[data-derived="enter"]');
        if (enter) enter.textContent = format.format(people[index]);
        var moveOn = row.querySelector('[data-derived="move-on"]') || row.querySelector('[data-derived="reach-goal"]');
        if (moveOn) moveOn.firstChild.textContent = format.format(people[index + 1]);
      });
      table.querySelectorAll('[data-derived="volume"]').forEach(function (el) { el.textContent = format.format(parsed.value); });
      table.querySelectorAll('[data-derived="reach-goal"], [data-derived="reach-end"]').forEach(function (el) {
        if (!el.closest("tbody")) el.textContent = format.format(people[people.length - 1]);
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    input.addEventListener("input", update);
  }

  function init() {
    document.querySelectorAll("[data-fl-calculator]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* Facet filters on library index pages. Without this script every card is shown and the
   filter form stays hidden. State lives in the URL (?type=a&channel=email), so a filtered
   view can be shared and reloaded. */
(function () {
  "use strict";

  function setup(form) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".fl-cards > .fl-card"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var names = [];
    boxes.forEach(function (box) { if (names.indexOf(box.name) < 0) names.push(box.name); });

    function valuesOf(card, name) {
      var raw = card.getAttribute("data-" + name) || "";
      return raw ? raw.split("|") : [];
    }
    function chosen() {
      var selection = {};
      names.forEach(function (name) { selection[name] = []; });
      boxes.forEach(function (box) { if (box.checked) selection[box.name].push(box.value); });
      return selection;
    }
    function matches(card, selection, except) {
      return names.every(function (name) {
        if (name === except || selection[name].length === 0) return true;
        var values = valuesOf(card, name);
        return selection[name].some(function (value) { return values.indexOf(value) >= 0; });
      });
    }

    function apply(updateUrl) {
      var selection = chosen();
      var shown = 0;
      cards.forEach(function (card) {
        var visible = matches(card, selection, null);
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll(".fl-group").forEach(function (group) {
        var list = group.querySelectorAll(".fl-card");
        group.hidden = list.length > 0 && Array.prototype.every.call(list, function (card) { return card.hidden; });
      });
      boxes.forEach(function (box) {
        var count = cards.filter(function (card) {
          return matches(card, selection, box.name) && valuesOf(card, box.name).indexOf(box.value) >= 0;
        }).length;
        box.parentElement.querySelector(".fl-count").textContent = "(" + count + ")";
      });
      form.querySelector(".fl-result-count").textContent = "Showing " + shown + " of " + cards.length + " funnels.";
      form.querySelector(".fl-no-match").hidden = shown > 0;
      if (updateUrl) {
        var params = new URLSearchParams();
        names.forEach(function (name) { selection[name].forEach(function (value) { params.append(name, value); }); });
        var query = params.toString();
        history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    var params = new URLSearchParams(window.location.search);
    boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) >= 0; });
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.querySelector("[data-fl-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      apply(true);
    });
    apply(false);
  }

  function init() {
    document.querySelectorAll("[data-fl-filters]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();
