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
})();

/* Forecast calculator: the arithmetic is planner-math.js (window.FunnelLibraryPlanner), the same
   as the build's (model.forecast), so the numbers match the ones printed into the page exactly. */
(function () {
  "use strict";

  var planner = window.FunnelLibraryPlanner;
  if (!planner) return;  // the page keeps the build's figures
  var MAX = planner.MAX_PEOPLE;
  var formatNumber = planner.format;
  var forecast = planner.forecast;
  var parseVolume = planner.parseVolume;
  var parseShare = planner.parseShare;
  var percent = planner.percent;

  function setup(form) {
    var table = form.nextElementSibling;
    if (!table || !table.classList.contains("fl-metrics")) return;
    var input = form.querySelector('input[name="volume"]');
    var target = form.querySelector('input[name="target"]');
    var sharesButton = form.querySelector(".fl-calculator__shares");
    var plan = form.querySelector(".fl-calculator__plan");
    var error = form.querySelector(".fl-calculator__error");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var keys = rows.map(function (row) { return row.getAttribute("data-step") || row.getAttribute("data-funnel"); });
    var recipe = rows.map(function (row) { return parseFloat(row.getAttribute("data-conversion")); });
    // Where result reports exist, own shares start from the measured ones.
    var start = rows.map(function (row, i) { return row.hasAttribute("data-measured") ? parseFloat(row.getAttribute("data-measured")) : recipe[i]; });
    var shareCells = rows.map(function (row) { return row.querySelector("[data-share]"); });
    var endToEnd = table.querySelector('caption [data-derived="end-to-end"]');
    var recipeText = {
      cells: shareCells.map(function (cell) { return cell ? cell.textContent : ""; }),
      reached: rows.map(function (row) { var cell = row.querySelector('[data-derived="reached"]'); return cell ? cell.textContent : ""; }),
      end: endToEnd ? endToEnd.textContent : "",
    };
    var shareInputs = null;
    var openLabel = sharesButton.textContent;
    var goalWord = (target.nextElementSibling || { textContent: "" }).textContent;

    function agree(key, count) {
      table.querySelectorAll('[data-plural="' + key + '"]').forEach(function (word) {
        word.textContent = word.getAttribute(count === 1 ? "data-one" : "data-other");
      });
    }

    function blank(message) {
      // No figure may stay on screen for a plan that is not valid: they are blanked until it is.
      error.textContent = message;
      plan.textContent = "";
      table.classList.add("fl-metrics--invalid");
      table.querySelectorAll('[data-derived="volume"], [data-derived="enter"], [data-derived="reach-goal"], [data-derived="reach-end"], [data-derived="reached"]').forEach(function (el) {
        el.textContent = "\u2013";
      });
      table.querySelectorAll('[data-derived="move-on"]').forEach(function (el) { el.firstChild.textContent = "\u2013"; });
      if (endToEnd && shareInputs) endToEnd.textContent = "\u2013";
      // "Of – people who enter, – reach the goal": the words agree with no number.
      table.querySelectorAll("[data-plural]").forEach(function (word) { word.textContent = word.getAttribute("data-other"); });
    }

    function currentShares() {
      if (!shareInputs) return { value: recipe.slice() };
      // Every field in error is marked; the message is the first one's.
      var shares = [];
      var firstError = null;
      shareInputs.forEach(function (field) {
        var parsed = parseShare(field.value);
        if (parsed.error) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
        if (parsed.error && !firstError) firstError = parsed.error;
        shares.push(parsed.value);
      });
      return firstError ? { error: firstError } : { value: shares };
    }

    /* The address holds what the planner shows, a wrong value too (cut short), so a reload or a
       shared link shows the same plan or the same error. */
    function writeUrl(mode, text) {
      var params = new URLSearchParams(window.location.search);
      ["enter", "goal"].forEach(function (name) { params.delete(name); });
      keys.forEach(function (key) { params.delete("share-" + key); });
      if (text) params.set(mode, text);
      if (shareInputs) {
        shareInputs.forEach(function (field, index) {
          var parsed = parseShare(field.value);
          var shown = parsed.error ? field.value.trim().slice(0, 24) : shareText(parsed.value);
          if (shown !== shareText(recipe[index])) params.set("share-" + keys[index], shown);
        });
      }
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function update(mode, keepUrl) {
      var shares = currentShares();
      var source = mode === "goal" ? target : input;
      var parsed = parseVolume(source.value);
      input.removeAttribute("aria-invalid");
      target.removeAttribute("aria-invalid");
      if (!keepUrl) writeUrl(mode === "goal" ? "goal" : "enter", parsed.error ? source.value.trim().slice(0, 24) : String(parsed.value));
      if (parsed.error) {
        source.setAttribute("aria-invalid", "true");
        return blank(parsed.error);
      }
      if (shares.error) return blank(shares.error);
      var conversions = shares.value;
      var volume = parsed.value;
      if (mode === "goal") {
        volume = planner.neededStart(parsed.value, conversions);
        if (volume === null) {
          target.setAttribute("aria-invalid", "true");
          return blank("Not reachable with these shares: even " + formatNumber(MAX) + " people at the start would bring fewer than " +
            formatNumber(parsed.value) + " to the end. Aim lower, or raise the shares.");
        }
        input.value = formatNumber(volume);
        plan.textContent = "To have at least " + formatNumber(parsed.value) + " at " + goalWord.replace(/^at /, "") +
          ", start with " + formatNumber(volume) + (volume === 1 ? " person." : " people.");
      } else {
        target.value = "";
        plan.textContent = "";
      }
      error.textContent = "";
      table.classList.remove("fl-metrics--invalid");
      var people = forecast(volume, conversions);
      var reached = 1;
      rows.forEach(function (row, index) {
        var enter = row.querySelector('[data-derived="enter"]');
        if (enter) enter.textContent = formatNumber(people[index]);
        var moveOn = row.querySelector('[data-derived="move-on"]') || row.querySelector('[data-derived="reach-goal"]');
        if (moveOn) moveOn.firstChild.textContent = formatNumber(people[index + 1]);
        reached *= conversions[index];
        var share = row.querySelector('[data-derived="reached"]');
        if (share) share.textContent = shareInputs ? percent(reached) : recipeText.reached[index];
        var bar = row.querySelector(".fl-bar__fill");
        if (bar) bar.style.width = (reached * 100).toFixed(1) + "%";
      });
      if (endToEnd) endToEnd.textContent = shareInputs ? percent(reached) : recipeText.end;
      table.querySelectorAll('[data-derived="volume"]').forEach(function (el) { el.textContent = formatNumber(volume); });
      table.querySelectorAll('[data-derived="reach-goal"], [data-derived="reach-end"]').forEach(function (el) {
        if (!el.closest("tbody")) el.textContent = formatNumber(people[people.length - 1]);
      });
      agree("volume", volume);
      agree("reach-goal", people[people.length - 1]);
      agree("reach-end", people[people.length - 1]);
      if (keepUrl && source !== document.activeElement) source.value = formatNumber(parsed.value);  // a link's 5000 reads 5,000
    }

    function mode() { return target.value.trim() ? "goal" : "start"; }

    /* A share as the percentage a visitor types: 0.35 as "35". */
    function shareText(share) { return String(Math.round(share * 100000) / 1000); }

    function openShares(values) {
      if (shareInputs) return;
      shareInputs = shareCells.map(function (cell, index) {
        if (!cell) return null;
        var field = document.createElement("input");
        field.type = "number";
        field.inputMode = "decimal";
        field.min = String(planner.SHARE_FLOOR * 100);
        field.max = "100";
        field.step = "any";
        field.className = "fl-share-input";
        field.value = values ? values[index] : shareText(start[index]);
        var name = rows[index].querySelector("th");
        field.setAttribute("aria-label", "Share moving on, in percent: " + (name ? name.firstChild.textContent.trim() : keys[index]));
        field.addEventListener("input", function () { update(mode()); });
        cell.textContent = "";
        var pair = document.createElement("span");  // the field and its unit stay side by side at any width
        pair.className = "fl-share-field";
        pair.appendChild(field);
        var unit = document.createElement("span");
        unit.textContent = "%";
        unit.setAttribute("aria-hidden", "true");
        pair.appendChild(unit);
        cell.appendChild(pair);
        return field;
      });
      sharesButton.setAttribute("aria-pressed", "true");
      sharesButton.textContent = "Back to the recipe's shares";
    }

    function closeShares() {
      if (!shareInputs) return;
      shareCells.forEach(function (cell, index) { if (cell) cell.textContent = recipeText.cells[index]; });
      shareInputs = null;
      sharesButton.setAttribute("aria-pressed", "false");
      sharesButton.textContent = openLabel;
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); update(mode()); });
    input.addEventListener("input", function () { target.value = ""; update("start"); });
    // Separators once the visitor leaves a field (not while typing, which would move the cursor).
    [input, target].forEach(function (field) {
      field.addEventListener("change", function () {
        var parsed = parseVolume(field.value);
        if (!parsed.error) field.value = formatNumber(parsed.value);
      });
    });
    target.addEventListener("input", function () { update(target.value.trim() ? "goal" : "start"); });
    sharesButton.addEventListener("click", function () {
      if (shareInputs) closeShares(); else openShares(null);
      update(mode());
      if (shareInputs && shareInputs[0]) shareInputs[0].focus();
    });

    // A shared plan: ?enter=5000 or ?goal=20, and &share-<step>=35 for the visitor's own shares.
    var params = new URLSearchParams(window.location.search);
    // A share the link got wrong is shown as it came (cut short), so its error names it.
    var own = keys.map(function (key, index) {
      var raw = params.get("share-" + key);
      return raw === null ? shareText(recipe[index]) : raw.slice(0, 24);
    });
    if (keys.some(function (key) { return params.has("share-" + key); })) openShares(own);
    if (params.has("goal")) { target.value = params.get("goal"); update("goal", true); }
    else if (params.has("enter")) { input.value = params.get("enter"); update("start", true); }
    else if (shareInputs) update("start", true);
  }

  function init() {
    document.querySelectorAll("[data-fl-calculator]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* Facet filters and sorting on library index pages. Without this script every card is shown
   in title order and the filter form stays hidden. State lives in the URL
   (?type=a&channel=email&sort=conversion), so a filtered, sorted view can be shared and reloaded.
   A value that would match nothing cannot be ticked; long facets open with "Show all"; on narrow
   screens the facets sit behind the Filter button. */
(function () {
  "use strict";

  var SORTS = {
    title: function (a, b) { return a.title.localeCompare(b.title); },
    conversion: function (a, b) { return b.conversion - a.conversion || a.title.localeCompare(b.title); },
    steps: function (a, b) { return a.steps - b.steps || a.title.localeCompare(b.title); },
    newest: function (a, b) { return (a.added < b.added ? 1 : a.added > b.added ? -1 : 0) || a.title.localeCompare(b.title); },
  };

  var SVG = "http://www.w3.org/2000/svg";
  var MORE = 48;

  /* A listing split into pages (a large library) names the compact index of every card
     (data-fl-index). Page 1 and its links work without this script; once a visitor filters or
     sorts, the index is loaded once and the matching cards are drawn from it, 48 at a time,
     from a copy of a card on the page. Every string from the index is set as text. */
  function loadIndex(results) {
    if (!results.flIndex) {
      var url = new URL(results.getAttribute("data-fl-index"), window.location.href);
      var type = results.getAttribute("data-fl-type");
      results.flIndex = fetch(url.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("index " + response.status);
        return response.json();
      }).then(function (index) {
        var fields = index.fields;
        var items = index.funnels.map(function (row) {
          var record = {};
          fields.forEach(function (field, at) { record[field] = row[at]; });
          var evidence = index.evidence[record.evidence] || ["", ""];
          var values = { type: [record.type], evidence: [evidence[0]], input: [record.input], output: [record.output],
                         channel: record.channel, tag: record.tag, author: record.author };
          return { record: record, href: new URL(record.url, url).href, badge: evidence, typeName: index.types[record.type] || record.type,
                   title: record.title.toLowerCase(), conversion: record.conversion, steps: record.steps, added: record.added,
                   values: function (name) { return values[name] || []; } };
        }).filter(function (item) { return !type || item.record.type === type; });
        return { items: items, chain: index.chain };
      });
    }
    return results.flIndex;
  }

  function chainSvg(svg, record, chain) {
    var step = chain.bar + chain.gap;
    var middle = chain.height / 2;
    var goalX = record.bars.length * step + chain.bar / 2;
    var width = goalX + chain.bar / 2;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("width", width);
    svg.setAttribute("viewBox", "0 0 " + width + " " + chain.height);
    record.bars.forEach(function (place, index) {
      var link = document.createElementNS(SVG, "path");
      link.setAttribute("class", "fl-chain__link");
      link.setAttribute("d", "M" + (index * step + chain.bar) + " " + middle + "H" + (index * step + step));
      svg.appendChild(link);
    });
    record.bars.forEach(function (place, index) {  // [y, height], as the build computed them
      var bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("class", "fl-chain__step");
      bar.setAttribute("x", index * step);
      bar.setAttribute("y", place[0]);
      bar.setAttribute("width", chain.bar);
      bar.setAttribute("height", place[1]);
      bar.setAttribute("rx", 2);
      svg.appendChild(bar);
    });
    var goal = document.createElementNS(SVG, "circle");
    goal.setAttribute("class", "fl-chain__goal");
    goal.setAttribute("cx", goalX);
    goal.setAttribute("cy", middle);
    goal.setAttribute("r", record.goal);
    svg.appendChild(goal);
  }

  function drawCard(template, item, chain, common) {
    var record = item.record;
    var card = template.cloneNode(true);
    card.hidden = false;
    card.setAttribute("data-id", record.id);
    var link = card.querySelector(".fl-card__title a");
    link.href = item.href;
    link.textContent = record.title;
    var badges = card.querySelector(".fl-card__badges");
    var typeBadge = badges.querySelector(".fl-badge--type").cloneNode(false);
    typeBadge.className = "fl-badge fl-badge--type fl-type-" + record.type;
    typeBadge.textContent = item.typeName;
    badges.textContent = "";
    badges.appendChild(typeBadge);
    if (item.badge[0] !== common) {
      var evidence = document.createElement("span");
      evidence.className = "fl-badge fl-badge--evidence fl-evidence-" + item.badge[0];
      evidence.textContent = item.badge[1];
      badges.appendChild(document.createTextNode(" "));
      badges.appendChild(evidence);
    }
    card.querySelector(".fl-card__summary").textContent = record.summary;
    var svg = card.querySelector("svg.fl-chain");
    svg.setAttribute("class", "fl-chain fl-type-" + record.type);
    chainSvg(svg, record, chain);
    card.querySelector(".fl-card__steps").textContent = record.steps + " steps";
    card.querySelector(".fl-card__conversion").textContent = record.figure + " end to end";
    var box = card.querySelector(".fl-compare-box");
    if (box) {
      box.value = record.id;
      box.setAttribute("aria-label", "Compare " + record.title);
    }
    var owners = card.querySelector(".fl-card__owners");
    if (owners && record.owners) owners.textContent = record.owners;
    else if (owners) owners.remove();
    else if (record.owners) {
      owners = document.createElement("p");
      owners.className = "fl-card__owners";
      owners.textContent = record.owners;
      card.insertBefore(owners, card.querySelector(".fl-card__compare"));
    }
    return card;
  }

  function setup(form) {
    var browse = form.closest(".fl-browse") || document;
    var results = browse.querySelector("[data-fl-index]");
    var cards = Array.prototype.slice.call(browse.querySelectorAll(".fl-cards > .fl-card"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var sort = browse.querySelector("[data-fl-sort]");
    var toggle = browse.querySelector(".fl-filter-toggle");
    var count = browse.querySelector(".fl-result-count");
    var pageCount = count ? count.textContent : "";
    var names = [];
    boxes.forEach(function (box) { if (names.indexOf(box.name) < 0) names.push(box.name); });
    var pageItems = cards.map(function (card) {
      return { card: card, title: card.querySelector(".fl-card__title").textContent.trim().toLowerCase(),
               conversion: parseFloat(card.getAttribute("data-conversion")) || 0,
               steps: parseInt(card.getAttribute("data-steps"), 10) || 0, added: card.getAttribute("data-added") || "",
               values: function (name) { var raw = card.getAttribute("data-" + name) || ""; return raw ? raw.split("|") : []; } };
    });
    // A listing split into pages: the page's own cards and links, and a list drawn from the index.
    var paged = results ? {
      serverList: results.querySelector(".fl-cards"),
      nav: results.querySelector(".fl-pages"),
      list: document.createElement("ul"),
      more: document.createElement("button"),
      shown: MORE,
      index: null,
    } : null;
    if (paged) {
      paged.list.className = "fl-cards fl-cards--found";
      paged.list.hidden = true;
      paged.more.type = "button";
      paged.more.className = "md-button fl-show-more";
      paged.more.hidden = true;
      paged.serverList.parentNode.insertBefore(paged.list, paged.serverList.nextSibling);
      paged.list.parentNode.insertBefore(paged.more, paged.list.nextSibling);
      paged.more.addEventListener("click", function () {
        var next = paged.list.children.length;
        paged.shown += MORE;
        applyFromIndex(chosen(), false, true).then(function () {
          var first = paged.list.children[next];  // the keyboard carries on from the first new card
          if (first) first.querySelector(".fl-card__title a").focus();
        });
      });
    }

    function chosen() {
      var selection = {};
      names.forEach(function (name) { selection[name] = []; });
      boxes.forEach(function (box) { if (box.checked) selection[box.name].push(box.value); });
      return selection;
    }
    function matches(item, selection, except) {
      return names.every(function (name) {
        if (name === except || selection[name].length === 0) return true;
        var values = item.values(name);
        return selection[name].some(function (value) { return values.indexOf(value) >= 0; });
      });
    }
    function sortBy() { return sort && Object.prototype.hasOwnProperty.call(SORTS, sort.value) ? sort.value : "title"; }
    function active(selection) {
      return sortBy() !== "title" || names.some(function (name) { return selection[name].length > 0; });
    }

    function order() {
      var by = sortBy();
      var lists = [];
      pageItems.forEach(function (item) { if (lists.indexOf(item.card.parentNode) < 0) lists.push(item.card.parentNode); });
      lists.forEach(function (list) {
        var sorted = pageItems.filter(function (item) { return item.card.parentNode === list; }).sort(SORTS[by]);
        var inPlace = sorted.every(function (item, i) { return list.children[i] === item.card; });
        // Moving every card costs a layout of the whole list; the page opens already in this order.
        if (!inPlace) sorted.forEach(function (item) { list.appendChild(item.card); });
      });
    }

    function countFacets(items, selection) {
      boxes.forEach(function (box) {
        var n = items.filter(function (item) {
          return matches(item, selection, box.name) && item.values(box.name).indexOf(box.value) >= 0;
        }).length;
        var label = box.parentElement.querySelector(".fl-count"), text = "(" + n + ")";
        if (label.textContent !== text) label.textContent = text;  // unchanged text is left alone: no relayout
        // Ticking a value that matches nothing would only empty the list: it cannot be ticked.
        var empty = n === 0 && !box.checked;
        if (box.disabled !== empty) box.disabled = empty;
        box.parentElement.classList.toggle("fl-facet__option--empty", empty);
      });
    }

    function finish(selection, shown, total, updateUrl) {
      if (count) count.textContent = shown < total ? "Showing " + shown + " of " + total + " funnels" : total + " funnel" + (total === 1 ? "" : "s");
      if (toggle) {
        var ticked = boxes.filter(function (box) { return box.checked; }).length;
        toggle.textContent = ticked ? "Filter (" + ticked + ")" : "Filter";
      }
      form.querySelector(".fl-no-match").hidden = shown > 0;
      if (updateUrl) {
        var params = new URLSearchParams();
        names.forEach(function (name) { selection[name].forEach(function (value) { params.append(name, value); }); });
        if (sortBy() !== "title") params.set("sort", sortBy());
        var query = params.toString();
        history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    function applyOnPage(selection, updateUrl) {
      var shown = 0;
      pageItems.forEach(function (item) {
        var visible = matches(item, selection, null);
        if (item.card.hidden === visible) item.card.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll(".fl-group").forEach(function (group) {
        var list = group.querySelectorAll(".fl-card");
        group.hidden = list.length > 0 && Array.prototype.every.call(list, function (card) { return card.hidden; });
      });
      countFacets(pageItems, selection);
      order();
      finish(selection, shown, pageItems.length, updateUrl);
    }

    function applyFromIndex(selection, updateUrl, keepShown) {
      if (!active(selection)) {  // back to this page of the listing, as the server wrote it
        paged.serverList.hidden = false;
        if (paged.nav) paged.nav.hidden = false;
        paged.list.hidden = true;
        paged.more.hidden = true;
        if (paged.index) countFacets(paged.index.items, selection);
        finish(selection, 0, 0, updateUrl);
        if (count) count.textContent = pageCount;
        form.querySelector(".fl-no-match").hidden = true;
        return Promise.resolve();
      }
      if (!keepShown) paged.shown = MORE;
      if (count) count.textContent = "Loading every funnel\u2026";
      return loadIndex(results).then(function (index) {
        paged.index = index;
        var found = index.items.filter(function (item) { return matches(item, chosen(), null); }).sort(SORTS[sortBy()]);
        var common = results.getAttribute("data-fl-common") || "";
        paged.list.textContent = "";
        found.slice(0, paged.shown).forEach(function (item) {
          paged.list.appendChild(drawCard(cards[0], item, index.chain, common));
        });
        if (window.FunnelLibrary.syncCompare) window.FunnelLibrary.syncCompare();
        paged.serverList.hidden = true;
        if (paged.nav) paged.nav.hidden = true;
        paged.list.hidden = false;
        var left = found.length - Math.min(found.length, paged.shown);
        paged.more.hidden = left === 0;
        paged.more.textContent = "Show " + Math.min(MORE, left) + " more (" + left + " left)";
        countFacets(index.items, chosen());
        finish(chosen(), found.length, index.items.length, updateUrl);
      }).catch(function () {
        if (count) count.textContent = "The list of funnels could not load. Reload the page to try again.";
      });
    }

    function apply(updateUrl, keepShown) {
      var selection = chosen();
      if (paged) applyFromIndex(selection, updateUrl, keepShown);
      else applyOnPage(selection, updateUrl);
    }

    var params = new URLSearchParams(window.location.search);
    boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) >= 0; });
    if (sort && Object.prototype.hasOwnProperty.call(SORTS, params.get("sort"))) sort.value = params.get("sort");
    form.addEventListener("change", function () { apply(true); });
    if (sort) sort.addEventListener("change", function () { apply(true); });
    form.querySelector("[data-fl-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      apply(true);
    });
    form.querySelectorAll(".fl-facet__all").forEach(function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.closest(".fl-facet").classList.toggle("fl-facet--all", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = button.getAttribute(open ? "data-less" : "data-more");
      });
    });
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        browse.classList.toggle("fl-browse--open", open);
        if (open) { var first = form.querySelector("input:not(:disabled)"); if (first) first.focus(); }
      });
    }
    apply(false);
  }

  function init() {
    document.querySelectorAll("[data-fl-filters]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* Diagram viewer. Without this script a diagram shows at its natural size in a frame that
   scrolls. With it the frame gets a toolbar: zoom out, zoom in, fit, actual size and full
   screen. Keys in the focused frame: + and - zoom, 0 fits, 1 is actual size, f is full screen,
   Escape leaves it; arrow keys scroll. A mouse drags the diagram, two fingers pinch it, and
   Ctrl + wheel (a touchpad pinch) zooms. Nothing loads from another site. */
(function () {
  "use strict";

  var STEP = 1.25;
  var MAX = 4;

  function setup(viewport) {
    var svg = viewport.querySelector("svg");
    var figure = viewport.closest("figure") || viewport.parentElement;
    if (!svg || viewport.hasAttribute("data-fl-ready")) return;
    var width = parseFloat(svg.getAttribute("width"));
    var height = parseFloat(svg.getAttribute("height"));
    if (!(width > 0 && height > 0)) return;
    viewport.setAttribute("data-fl-ready", "");
    var scale = 1;
    var always = viewport.getAttribute("data-fl-viewer") === "always";

    var tools = viewport.previousElementSibling;
    if (!tools || !tools.classList.contains("fl-viewer-tools")) return;
    function part(name) { return tools.querySelector(".fl-viewer-tools__" + name); }
    var zoomOut = part("out"), zoomIn = part("in"), fit = part("fit"), actual = part("actual"), full = part("full");
    var level = part("level"), hint = part("hint");

    function fitScale() {
      var byWidth = (viewport.clientWidth - 2) / width;
      var byHeight = figure.classList.contains("fl-diagram--full") || always ? (viewport.clientHeight - 2) / height : Infinity;
      return Math.min(1, byWidth, byHeight);
    }
    function minimum() { return Math.min(fitScale(), 1); }

    function refresh() {
      var overflowX = viewport.scrollWidth > viewport.clientWidth + 1;
      var overflowY = viewport.scrollHeight > viewport.clientHeight + 1;
      var overflow = overflowX || overflowY;
      if (overflow) {
        viewport.setAttribute("data-overflow", overflowX && overflowY ? "both" : overflowX ? "x" : "y");
        viewport.setAttribute("tabindex", "0");
      } else {
        viewport.removeAttribute("data-overflow");
        // Nothing to scroll: the frame leaves the tab order unless its tools are shown.
        if (always) viewport.setAttribute("tabindex", "0"); else viewport.removeAttribute("tabindex");
      }
      level.textContent = "Zoom " + Math.round(scale * 100) + "%";
      hint.textContent = overflow ? "Drag, scroll or use the arrow keys to see the rest." : "";
      zoomOut.disabled = scale <= minimum() + 1e-6;
      zoomIn.disabled = scale >= MAX - 1e-6;
    }

    /* Where the drawing starts inside the frame's scrolled content (it is centred while it fits). */
    function origin() {
      var drawing = svg.getBoundingClientRect(), frame = viewport.getBoundingClientRect();
      return { x: drawing.left - frame.left - viewport.clientLeft + viewport.scrollLeft,
               y: drawing.top - frame.top - viewport.clientTop + viewport.scrollTop };
    }

    /* Zoom about a point of the frame (its centre unless given), keeping that point still. */
    function zoomTo(next, x, y) {
      next = Math.max(minimum(), Math.min(MAX, next));
      if (x === undefined) { x = viewport.clientWidth / 2; y = viewport.clientHeight / 2; }
      var before = origin();
      var pointX = (viewport.scrollLeft + x - before.x) / scale;
      var pointY = (viewport.scrollTop + y - before.y) / scale;
      scale = next;
      svg.style.width = width * scale + "px";
      svg.style.height = height * scale + "px";
      var after = origin();
      viewport.scrollLeft = pointX * scale + after.x - x;
      viewport.scrollTop = pointY * scale + after.y - y;
      refresh();
    }

    function setFull(on) {
      figure.classList.toggle("fl-diagram--full", on);
      document.body.classList.toggle("fl-has-full", on);
      full.setAttribute("aria-pressed", on ? "true" : "false");
      full.textContent = on ? "Close full screen" : "Full screen";
      full.setAttribute("aria-label", on ? "Close full screen" : "Full screen");
      refresh();
      viewport.focus();
    }

    zoomOut.addEventListener("click", function () { zoomTo(scale / STEP); });
    zoomIn.addEventListener("click", function () { zoomTo(scale * STEP); });
    fit.addEventListener("click", function () { zoomTo(fitScale()); });
    actual.addEventListener("click", function () { zoomTo(1); });
    full.addEventListener("click", function () { setFull(!figure.classList.contains("fl-diagram--full")); });

    function onKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var key = event.key;
      if (key === "+" || key === "=") zoomTo(scale * STEP);
      else if (key === "-" || key === "_") zoomTo(scale / STEP);
      else if (key === "0") zoomTo(fitScale());
      else if (key === "1") zoomTo(1);
      else if (key === "f" || key === "F") setFull(!figure.classList.contains("fl-diagram--full"));
      else if (key === "Escape" && figure.classList.contains("fl-diagram--full")) setFull(false);
      else return;
      event.preventDefault();
      event.stopPropagation();  // the theme's own shortcuts (f opens search) stay out of the frame
    }
    viewport.addEventListener("keydown", onKey);
    tools.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && figure.classList.contains("fl-diagram--full")) { setFull(false); event.preventDefault(); }
    });

    viewport.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      var box = viewport.getBoundingClientRect();
      zoomTo(scale * Math.pow(STEP, -event.deltaY / 100), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    /* A mouse drags the view. Two fingers pinch it (touch events: every mobile browser sends
       them for both fingers); one finger scrolls natively. */
    var drag = null;
    var pinch = null;
    function spread(touches) {
      var a = touches[0], b = touches[1];
      return { d: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), x: (a.clientX + b.clientX) / 2, y: (a.clientY + b.clientY) / 2 };
    }
    viewport.addEventListener("touchstart", function (event) {
      pinch = event.touches.length === 2 ? { start: spread(event.touches), scale: scale } : null;
    }, { passive: true });
    viewport.addEventListener("touchmove", function (event) {
      if (!pinch || event.touches.length !== 2) return;
      event.preventDefault();
      var now = spread(event.touches);
      var box = viewport.getBoundingClientRect();
      if (pinch.start.d > 0) zoomTo(pinch.scale * now.d / pinch.start.d, now.x - box.left, now.y - box.top);
    }, { passive: false });
    viewport.addEventListener("touchend", function (event) { if (event.touches.length < 2) pinch = null; });
    viewport.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button === 0 && viewport.hasAttribute("data-overflow")) {
        drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false };
      }
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) > 4) { drag.moved = true; viewport.classList.add("fl-dragging"); }
      if (drag.moved) { viewport.scrollLeft = drag.left - dx; viewport.scrollTop = drag.top - dy; }
    });
    function release() {
      if (drag && drag.moved) {
        // A drag that ends on a node is not a click on it.
        viewport.addEventListener("click", function swallow(click) { click.preventDefault(); click.stopPropagation(); }, { capture: true, once: true });
        setTimeout(function () { viewport.classList.remove("fl-dragging"); }, 0);
      }
      drag = null;
    }
    viewport.addEventListener("pointerup", release);
    viewport.addEventListener("pointercancel", release);

    if (window.ResizeObserver) new ResizeObserver(refresh).observe(viewport);
    refresh();
    // A funnel wider than the frame starts with its steps in view (their names matter more than
    // the labels of the arrows beside them); the map starts at its top centre, and the circles
    // of trust on their inner circle.
    var steps = Array.prototype.map.call(svg.querySelectorAll(".fl-step"), function (node) { return node.getBoundingClientRect().left; });
    if (steps.length) {
      viewport.scrollLeft += Math.min.apply(null, steps) - viewport.getBoundingClientRect().left - viewport.clientLeft - 8;
    } else {
      viewport.scrollLeft = (viewport.scrollWidth - viewport.clientWidth) / 2;
    }
    if (viewport.getAttribute("data-fl-start") === "centre") viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
    viewport.flViewer = { zoomTo: zoomTo, scale: function () { return scale; }, refresh: refresh };
  }

  function init() {
    document.querySelectorAll(".fl-viewport").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* Focus on the map: choosing a stage (in the list, or by selecting its oval) or a funnel keeps
   what flows in and out of it and fades the rest. The choice lives in the URL (?focus=stage-lead),
   so it can be shared. Keys come from fixed class names (fl-id-..., fl-end-...), never from text. */
(function () {
  "use strict";

  var KEY = /^(stage|funnel|group)-[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function setup(form) {
    var figure = form.parentElement.querySelector(".fl-map");
    var svg = figure && figure.querySelector("svg");
    if (!svg) return;
    var select = form.querySelector("select");
    var status = form.querySelector(".fl-focus__status");
    var viewport = figure.querySelector(".fl-viewport");

    function node(key) { return svg.querySelector(".fl-node.fl-id-" + key); }
    function edges(key) { return Array.prototype.slice.call(svg.querySelectorAll(".fl-edge.fl-end-" + key)); }
    function ends(edge) {
      return Array.prototype.filter.call(edge.classList, function (c) { return c.indexOf("fl-end-") === 0; })
        .map(function (c) { return c.slice("fl-end-".length); });
    }
    function nameOf(key) {
      var option = select.querySelector('option[value="' + key + '"]');
      return option ? option.textContent : key;
    }

    function apply(key, updateUrl) {
      svg.querySelectorAll(".fl-on, .fl-focus-centre").forEach(function (el) { el.classList.remove("fl-on", "fl-focus-centre"); });
      var centre = key && KEY.test(key) ? node(key) : null;
      if (!centre) {
        svg.classList.remove("fl-focusing");
        select.value = "";
        status.textContent = "";
      } else {
        var on = {}; on[key] = true;
        var first = edges(key);
        first.forEach(function (edge) { ends(edge).forEach(function (k) { on[k] = true; }); });
        if (key.indexOf("stage-") === 0) {
          // A stage: the funnels that bring people in or take them on, and the stages at their other end.
          Object.keys(on).forEach(function (k) {
            if (k.indexOf("stage-") !== 0) edges(k).forEach(function (edge) { ends(edge).forEach(function (e) { on[e] = true; }); });
          });
        }
        var lit = [];
        Object.keys(on).forEach(function (k) {
          var n = node(k);
          if (n) { n.classList.add("fl-on"); lit.push(n); }
          edges(k).forEach(function (edge) {
            if (ends(edge).every(function (e) { return on[e]; })) edge.classList.add("fl-on");
          });
        });
        centre.classList.add("fl-focus-centre");
        svg.classList.add("fl-focusing");
        select.value = key;
        var into = first.filter(function (edge) { return ends(edge)[1] === key; }).length;
        var out = first.length - into;
        status.textContent = key.indexOf("stage-") === 0
          ? nameOf(key) + ": " + into + " funnel" + (into === 1 ? "" : "s") + " bring people in, " + out + " take them on."
          : nameOf(key) + ": where it takes people from, and where it delivers them.";
        if (viewport) {
          var box = centre.getBoundingClientRect(), frame = viewport.getBoundingClientRect();
          viewport.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
          viewport.scrollTop += box.top + box.height / 2 - (frame.top + frame.height / 2);
        }
      }
      if (updateUrl) {
        var params = new URLSearchParams(window.location.search);
        if (centre) params.set("focus", key); else params.delete("focus");
        var query = params.toString();
        history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    select.addEventListener("change", function () { apply(select.value, true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // Selecting a stage's oval focuses it (without this script it opens the coverage page).
    svg.querySelectorAll(".fl-stage a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var key = Array.prototype.filter.call(link.closest(".fl-stage").classList, function (c) { return c.indexOf("fl-id-") === 0; })[0];
        if (!key) return;
        event.preventDefault();
        key = key.slice("fl-id-".length);
        apply(svg.classList.contains("fl-focusing") && select.value === key ? "" : key, true);
      });
    });
    apply(new URLSearchParams(window.location.search).get("focus"), false);
  }

  function init() {
    document.querySelectorAll("[data-fl-focus]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* The search box: Pagefind behind Material's search markup (see partials/search.html).
   Nothing is fetched until the visitor starts a search; then Pagefind loads its script and
   only the index chunks the query needs. Results are grouped: funnels first, then the other
   library pages, then the contributor guide. Every string from the index is set as text;
   only Pagefind's <mark> around matched words becomes an element. */
(function () {
  "use strict";

  var GROUPS = [
    { section: "funnels", title: "Funnels", limit: 8 },
    { section: "library", title: "Library pages", limit: 4 },
    { section: "guide", title: "Contributor guide", limit: 4 },
  ];
  var DELAY = 120;

  function textWithMarks(html, into) {
    /* Pagefind's excerpt is text with <mark> around matches; anything else in it is shown as text. */
    var parser = new DOMParser();
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, piece) {
      if (piece === "<mark>") return true;
      if (piece === "</mark>") return false;
      var text = parser.parseFromString("<!doctype html><body>" + piece, "text/html").body.textContent;
      if (text) {
        var node = marked ? document.createElement("mark") : document.createTextNode(text);
        if (marked) node.textContent = text;
        into.appendChild(node);
      }
      return marked;
    }, false);
  }

  function sameSiteUrl(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  function setup(form) {
    if (form.flSearch) return;
    var toggle = document.getElementById("__search");
    var input = form.querySelector("input[type=search]");
    var box = form.closest(".md-search");
    var status = box.querySelector(".md-search-result__meta");
    var groups = box.querySelector(".fl-search__groups");
    var script = new URL(form.getAttribute("data-fl-search"), window.location.href);
    var base = script.pathname.replace(/pagefind\/pagefind\.js$/, "");
    var pagefind = null;
    var asked = 0;
    var timer = null;
    var idle = status.textContent;
    form.flSearch = true;

    function load() {
      if (!pagefind) {
        pagefind = import(script.href).then(function (module) {
          return module.options({ baseUrl: base, excerptLength: 24 }).then(function () { return module; });
        });
      }
      return pagefind;
    }

    function open(focus) {
      if (toggle && !toggle.checked) toggle.checked = true;
      if (focus) input.focus();
    }

    function close() {
      if (toggle) toggle.checked = false;
      input.blur();
    }

    function links() {
      return Array.prototype.slice.call(groups.querySelectorAll("a.md-search-result__link"));
    }

    function item(data) {
      var url = sameSiteUrl(data.url);
      if (!url) return null;
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h3");
      title.textContent = (data.meta && data.meta.title) || url;
      var excerpt = document.createElement("p");
      textWithMarks(data.excerpt || "", excerpt);
      article.appendChild(title);
      article.appendChild(excerpt);
      a.appendChild(article);
      li.appendChild(a);
      return li;
    }

    function render(found, query) {
      groups.textContent = "";
      var total = 0;
      found.forEach(function (group) {
        if (!group.items.length) return;
        total += group.count;
        var section = document.createElement("section");
        section.className = "fl-search__group";
        section.setAttribute("data-section", group.section);
        var heading = document.createElement("h2");
        heading.className = "fl-search__title";
        heading.textContent = group.title + " (" + group.count + ")";
        var list = document.createElement("ol");
        list.className = "md-search-result__list";
        group.items.forEach(function (entry) { if (entry) list.appendChild(entry); });
        section.appendChild(heading);
        section.appendChild(list);
        groups.appendChild(section);
      });
      status.textContent = total
        ? total + (total === 1 ? " page matches " : " pages match ") + "\u201c" + query + "\u201d"
        : "Nothing matches \u201c" + query + "\u201d. Try another word, or browse the library.";
    }

    function search(query) {
      var ticket = ++asked;
      if (!query) {
        groups.textContent = "";
        status.textContent = idle;
        return;
      }
      status.textContent = "Searching\u2026";
      load().then(function (module) {
        return Promise.all(GROUPS.map(function (group) {
          var filters = {};
          filters.section = group.section;
          return module.search(query, { filters: filters }).then(function (result) {
            var shown = result ? result.results.slice(0, group.limit) : [];
            return Promise.all(shown.map(function (hit) { return hit.data(); })).then(function (data) {
              return { section: group.section, title: group.title, count: result ? result.results.length : 0, items: data.map(item) };
            });
          });
        }));
      }).then(function (found) {
        if (ticket === asked) render(found, query);
      }).catch(function () {
        if (ticket === asked) status.textContent = "Search could not load. Reload the page to try again.";
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) first.click();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { search(""); input.focus(); }, 0);
    });
    input.addEventListener("focus", function () { open(false); load(); });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      timer = window.setTimeout(function () { search(query); }, DELAY);
    });
    if (toggle) {
      toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
    }
    box.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
        if (next < 0 || next >= all.length) input.focus();
        else all[next].focus();
      }
    });
    box.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a.md-search-result__link")) close();
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable], .fl-viewport")) return;
      if (event.key === "/" || event.key === "s") {
        event.preventDefault();
        open(true);
      }
    });
  }

  function init() {
    document.querySelectorAll("form[data-fl-search]").forEach(setup);
  }

  window.FunnelLibrary.onEveryPage(init);
})();

/* Compare: a Compare box on every card keeps up to three funnels (for this browser tab), and a bar
   at the bottom of the page links to the compare page with the choice in its address
   (?f=a,b,c). The compare page lays the funnels side by side from their own pages: the parts
   are taken from the HTML the build wrote, so they read exactly as on the funnel pages. */
(function () {
  "use strict";

  var KEY = "fl-compare";
  var MAX = 3;
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function clean(ids) {
    var out = [];
    (ids || []).forEach(function (id) { if (typeof id === "string" && ID.test(id) && out.indexOf(id) < 0 && out.length < MAX) out.push(id); });
    return out;
  }
  function stored() {
    try { return clean(JSON.parse(window.sessionStorage.getItem(KEY) || "[]")); } catch (error) { return []; }
  }
  function store(ids) {
    try { window.sessionStorage.setItem(KEY, JSON.stringify(clean(ids))); } catch (error) { /* private mode: the tray still works on this page */ }
  }

  /* --- on listings: the boxes and the tray --- */
  function setupListing(bar) {
    var target = bar.getAttribute("data-fl-compare-page");
    if (!target || bar.flCompare) return;
    bar.flCompare = true;
    var scope = bar.closest(".fl-browse") || bar.closest(".md-typeset") || document.body;  // a listing, or a funnel's page
    var tray = document.createElement("div");
    tray.className = "fl-compare-tray";
    tray.setAttribute("role", "region");
    tray.setAttribute("aria-label", "Funnels to compare");
    tray.hidden = true;
    var status = document.createElement("span");
    status.className = "fl-compare-tray__status";
    status.setAttribute("aria-live", "polite");
    var go = document.createElement("a");
    go.className = "md-button md-button--primary fl-compare-tray__go";
    var wait = document.createElement("button");  // fewer than two: nothing to link to yet
    wait.type = "button";
    wait.disabled = true;
    wait.className = "md-button fl-compare-tray__wait";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button fl-compare-tray__clear";
    clear.textContent = "Clear";
    tray.appendChild(status);
    tray.appendChild(go);
    tray.appendChild(wait);
    tray.appendChild(clear);
    scope.appendChild(tray);

    function sync() {
      var ids = stored();
      scope.querySelectorAll(".fl-compare-box").forEach(function (box) {
        box.checked = ids.indexOf(box.value) >= 0;
        box.disabled = !box.checked && ids.length >= MAX;
        box.closest(".fl-card__compare").classList.toggle("fl-card__compare--full", box.disabled);
      });
      tray.hidden = ids.length === 0;
      document.body.classList.toggle("fl-has-compare-tray", ids.length > 0);
      status.textContent = ids.length === 1 ? "1 funnel ticked: tick one or two more" :
        ids.length + " funnels ticked" + (ids.length >= MAX ? " (the most)" : "");
      go.textContent = wait.textContent = "Compare " + ids.length;
      go.href = new URL(target, window.location.href).pathname + "?f=" + ids.join(",");
      go.hidden = ids.length < 2;
      wait.hidden = ids.length >= 2;
    }
    scope.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.classList || !box.classList.contains("fl-compare-box")) return;
      event.stopPropagation();  // not a filter
      var ids = stored().filter(function (id) { return id !== box.value; });
      if (box.checked) ids.push(box.value);
      store(ids);
      sync();
    }, true);
    clear.addEventListener("click", function () { store([]); sync(); });
    window.FunnelLibrary.syncCompare = sync;
    sync();
  }

  /* --- the compare page --- */
  function absolutise(root, base) {
    root.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    root.querySelectorAll("a[href]").forEach(function (a) { a.setAttribute("href", new URL(a.getAttribute("href"), base).href); });
    return root;
  }

  function cell(row, heading) {
    var section = document.createElement("section");
    section.className = "fl-compare__cell fl-compare__cell--" + row;
    if (heading) {
      var title = document.createElement("h3");
      title.className = "fl-compare__row-title";
      title.textContent = heading;
      section.appendChild(title);
    }
    return section;
  }

  function parts(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var article = doc.querySelector("article.fl-funnel");
    if (!article) return null;
    var out = {};
    var head = cell("title");
    var h2 = document.createElement("h2");
    var link = document.createElement("a");
    link.href = url;
    link.textContent = article.querySelector("h1").textContent;
    h2.appendChild(link);
    head.appendChild(h2);
    var badges = article.querySelector(".fl-badges");
    if (badges) head.appendChild(absolutise(document.importNode(badges, true), url));
    out.title = head;

    var facts = cell("facts");
    var goal = article.querySelector(".fl-goal");
    var stages = article.querySelector(".fl-stages");
    [["Goal", goal], ["Moves people from", stages]].forEach(function (pair) {
      if (!pair[1]) return;
      var p = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = pair[0] + ": ";
      p.appendChild(label);
      p.appendChild(document.createTextNode(pair[1].textContent.trim()));
      facts.appendChild(p);
    });
    out.facts = facts;

    var diagram = cell("diagram", "Diagram");
    var svg = article.querySelector("figure.fl-diagram svg");
    if (svg) {
      var copy = document.importNode(svg, true);
      copy.querySelectorAll("a").forEach(function (a) {
        var href = a.getAttribute("href") || a.getAttribute("xlink:href") || "";
        if (href.charAt(0) === "#") a.setAttribute("href", url + href);
      });
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      // Its size at 100% is kept; fitDiagrams draws every column's diagram at one scale.
      copy.setAttribute("data-fl-width", copy.getAttribute("width") || "0");
      copy.setAttribute("data-fl-height", copy.getAttribute("height") || "0");
      copy.removeAttribute("width");
      copy.removeAttribute("height");
      copy.classList.add("fl-compare__svg");
      var frame = document.createElement("div");
      frame.className = "fl-compare__frame";
      frame.setAttribute("data-fl-title", link.textContent);
      frame.appendChild(copy);
      diagram.appendChild(frame);
    }
    out.diagram = diagram;

    var steps = cell("steps", "Steps");
    var list = document.createElement("ol");
    list.className = "fl-compare__steps";
    article.querySelectorAll(".fl-steps > .fl-step").forEach(function (step) {
      var li = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = step.querySelector("h3").textContent.replace(/^\d+\.\s*/, "");
      var meta = document.createElement("span");
      meta.className = "fl-compare__meta";
      meta.textContent = (step.querySelector(".fl-step__meta") || { textContent: "" }).textContent;
      li.appendChild(name);
      li.appendChild(meta);
      list.appendChild(li);
    });
    steps.appendChild(list);
    out.steps = steps;

    var figures = cell("figures", "End to end");
    var caption = article.querySelector(".fl-metrics caption");
    if (caption) {
      var p = document.createElement("p");
      p.textContent = caption.textContent.trim();
      figures.appendChild(p);
    }
    out.figures = figures;

    var evidence = cell("evidence", "Evidence");
    var heading = article.querySelector("h2#evidence");
    for (var node = heading && heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
      evidence.appendChild(absolutise(document.importNode(node, true), url));
    }
    var note = article.querySelector(".fl-note");
    if (note) evidence.appendChild(absolutise(document.importNode(note, true), url));
    out.evidence = evidence;
    return out;
  }

  var ROWS = ["title", "facts", "diagram", "steps", "figures", "evidence"];

  /* The diagrams side by side share one scale, so a bigger box means a longer label, not a
     smaller funnel: the largest scale (at most 100%) at which the widest fits its column,
     unless that takes the smallest label below 12 px. Then a diagram wider than its column
     scrolls sideways in its own frame, which the keyboard can reach. */
  var SMALLEST_LABEL = 12;

  function fitDiagrams(grid) {
    var svgs = Array.prototype.slice.call(grid.querySelectorAll(".fl-compare__svg"));
    if (!svgs.length) return;
    var column = svgs[0].parentNode.clientWidth;
    var natural = svgs.map(function (svg) {  // each diagram's size at 100%
      return [parseFloat(svg.getAttribute("data-fl-width")) || 0, parseFloat(svg.getAttribute("data-fl-height")) || 0];
    });
    var widest = Math.max.apply(null, natural.map(function (size) { return size[0]; }));
    var smallest = Infinity;
    svgs.forEach(function (svg, index) {
      var box = svg.viewBox && svg.viewBox.baseVal;
      if (!box || !box.width) return;
      svg.querySelectorAll("text").forEach(function (text) {
        var size = parseFloat(text.getAttribute("font-size"));
        if (size > 0) smallest = Math.min(smallest, size * natural[index][0] / box.width);
      });
    });
    if (!widest || !column) return;
    // Print has its own column width: there the widest fills its column and the others keep
    // their width in proportion to it (the stylesheet reads these two figures).
    grid.style.setProperty("--fl-widest", widest);
    var scale = Math.min(1, column / widest);
    if (smallest * scale < SMALLEST_LABEL) scale = Math.min(1, SMALLEST_LABEL / smallest);
    svgs.forEach(function (svg, index) {
      var frame = svg.parentNode;
      var width = natural[index][0] * scale;
      svg.style.setProperty("--fl-width", natural[index][0]);
      svg.style.width = width + "px";
      svg.style.height = natural[index][1] * scale + "px";
      var wide = width > frame.clientWidth + 0.5;
      frame.classList.toggle("fl-compare__frame--wide", wide);
      if (wide) {
        frame.tabIndex = 0;
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", "Diagram of " + frame.getAttribute("data-fl-title") + ", wider than its column: scroll sideways");
      } else {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }

  function setupCompare(root) {
    if (root.flCompare) return;
    root.flCompare = true;
    var pattern = root.getAttribute("data-fl-funnel-url");
    var library = root.getAttribute("data-fl-library");
    var params = new URLSearchParams(window.location.search);
    var ids = clean((params.get("f") || "").split(","));
    if (!ids.length && stored().length >= 2) ids = stored();

    function show(message, withLink) {
      root.textContent = "";
      var p = document.createElement("p");
      p.className = "fl-compare__empty";
      p.textContent = message + " ";
      if (withLink) {
        var a = document.createElement("a");
        a.href = library;
        a.textContent = "Go to the library";
        p.appendChild(a);
      }
      root.appendChild(p);
    }

    function render() {
      var query = ids.length ? "?f=" + ids.join(",") : "";
      history.replaceState(null, "", window.location.pathname + query + window.location.hash);
      store(ids);
      if (ids.length < 2) {
        show(ids.length ? "Tick one or two more funnels to compare." : "No funnels picked yet.", true);
        return;
      }
      show("Loading " + ids.length + " funnels\u2026", false);
      Promise.all(ids.map(function (id) {
        var url = new URL(pattern.replace("{id}", id), window.location.href).href;
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          return { id: id, url: url, parts: html ? parts(html, url) : null };
        }, function () { return { id: id, url: url, parts: null }; });
      })).then(function (funnels) {
        if (!funnels.some(function (funnel) { return funnel.parts; })) {
          show("None of these funnels is in the library: " + ids.join(", ") + ". A funnel may have been renamed.", true);
          return;
        }
        root.textContent = "";
        var grid = document.createElement("div");
        grid.className = "fl-compare__grid";
        grid.style.setProperty("--fl-columns", funnels.length);
        grid.setAttribute("role", "region");
        grid.setAttribute("aria-label", "The funnels side by side");
        grid.tabIndex = 0;
        ROWS.forEach(function (row) {
          funnels.forEach(function (funnel) {
            var part = funnel.parts && funnel.parts[row];
            if (!part) {
              part = cell(row);
              if (row === "title") {
                var missing = document.createElement("p");
                missing.textContent = "No funnel \u201c" + funnel.id + "\u201d in the library. ";
                var find = document.createElement("a");
                find.href = library;
                find.textContent = "Pick another in the library";
                missing.appendChild(find);
                part.appendChild(missing);
              }
            }
            if (row === "title") {
              var remove = document.createElement("button");
              remove.type = "button";
              remove.className = "md-button fl-compare__remove";
              remove.textContent = "Remove";
              remove.setAttribute("aria-label", "Remove " + (funnel.parts ? funnel.parts.title.querySelector("h2").textContent : funnel.id) + " from the comparison");
              remove.addEventListener("click", function () {
                ids = ids.filter(function (id) { return id !== funnel.id; });
                render();
              });
              part.appendChild(remove);
            }
            grid.appendChild(part);
          });
        });
        root.appendChild(grid);
        fitDiagrams(grid);
      });
    }
    var pending = 0;
    window.addEventListener("resize", function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () {
        var grid = root.querySelector(".fl-compare__grid");
        if (grid) fitDiagrams(grid);
      });
    });
    render();
  }

  function init() {
    document.querySelectorAll("[data-fl-compare-page]").forEach(setupListing);
    document.querySelectorAll("[data-fl-compare]").forEach(setupCompare);
  }

  window.FunnelLibrary.onEveryPage(init);
})();
