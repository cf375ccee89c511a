/* The event catalog site: the search box and the version compare switcher.
 * Plain JavaScript, no libraries, no network: the search index is a script the page loads
 * (window.EVENTCONTRACTS_SEARCH, from assets/search-index.js), so it works from file:// too.
 * Untrusted text (names, descriptions) is only ever set as textContent, never as HTML. */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var root = document.body.getAttribute("data-root") || "./";
  document.body.classList.add("js");

  /* --- search ---------------------------------------------------------------------------- */

  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var prepared = null;

  function prepare() {
    if (prepared) return prepared;
    var data = window.EVENTCONTRACTS_SEARCH || { events: [], fields: [] };
    var events = data.events.map(function (row) {
      return {
        name: row[0], source: row[1], detailType: row[2], description: row[3], page: row[4],
        haystack: [row[0], row[1], row[2], row[3]].join("\n").toLowerCase()
      };
    });
    var fields = data.fields.map(function (row) {
      var event = events[row[2]];
      return {
        path: row[0], description: row[1], event: event, versions: row[3],
        href: event.page + "#" + row[4],
        haystack: (row[0] + "\n" + row[1]).toLowerCase()
      };
    });
    prepared = { events: events, fields: fields };
    return prepared;
  }

  function search(query) {
    var data = prepare();
    var needle = query.trim().toLowerCase();
    var hits = [];
    if (!needle) return hits;
    for (var i = 0; i < data.events.length && hits.length < MAX_RESULTS; i++) {
      if (data.events[i].haystack.indexOf(needle) !== -1) hits.push({ kind: "event", item: data.events[i] });
    }
    for (var j = 0; j < data.fields.length && hits.length < MAX_RESULTS; j++) {
      if (data.fields[j].haystack.indexOf(needle) !== -1) hits.push({ kind: "field", item: data.fields[j] });
    }
    return hits;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function resultItem(hit) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var item = hit.item;
    if (hit.kind === "event") {
      a.href = root + item.page;
      a.appendChild(span("hit-kind", "event"));
      a.appendChild(span("hit-name", item.name));
      a.appendChild(span("hit-detail", item.detailType + (item.description ? " · " + item.description : "")));
    } else {
      a.href = root + item.href;
      a.appendChild(span("hit-kind", "field"));
      a.appendChild(span("hit-name", item.event.name + " "));
      a.appendChild(span("hit-path", item.path));
      a.appendChild(span("hit-detail", item.versions + (item.description ? " · " + item.description : "")));
    }
    li.appendChild(a);
    return li;
  }

  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!query.trim()) {
      list.hidden = true;
      return;
    }
    var hits = search(query);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "empty";
      none.textContent = "No event or field matches.";
      list.appendChild(none);
    }
    hits.forEach(function (hit) { list.appendChild(resultItem(hit)); });
    list.hidden = false;
  }

  function move(step) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    var index = Array.prototype.indexOf.call(links, document.activeElement);
    var next = index + step;
    if (next < 0) { input.focus(); return; }
    links[Math.min(next, links.length - 1)].focus();
  }

  if (input && list) {
    input.addEventListener("input", function () { show(input.value); });
    input.addEventListener("focus", function () { if (input.value.trim()) show(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); window.location.href = first.href; }
      } else if (event.key === "Escape") { list.hidden = true; input.blur(); }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { list.hidden = true; input.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) list.hidden = true;
    });
  }

  /* --- compare two versions ------------------------------------------------------------ */

  var older = document.getElementById("compare-old");
  var newer = document.getElementById("compare-new");
  var hint = document.querySelector(".compare-hint");

  function compare() {
    var diffs = document.querySelectorAll("div.diff");
    var shown = false;
    for (var i = 0; i < diffs.length; i++) {
      var match = diffs[i].getAttribute("data-old") === older.value &&
        diffs[i].getAttribute("data-new") === newer.value;
      diffs[i].classList.toggle("is-hidden", !match);
      shown = shown || match;
    }
    if (hint) hint.hidden = shown;
  }

  function fromHash() {
    var found = /^#diff-v(\d+)-v(\d+)$/.exec(window.location.hash);
    if (found) { older.value = found[1]; newer.value = found[2]; }
  }

  if (older && newer) {
    fromHash();
    older.addEventListener("change", compare);
    newer.addEventListener("change", compare);
    window.addEventListener("hashchange", function () { fromHash(); compare(); });
    compare();
  }
})();
