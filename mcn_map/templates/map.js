/* The map's behaviour. Every piece of text from the workbook is written with textContent, never as HTML. */
(function () {
  "use strict";
  performance.mark("mcn-start");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  performance.mark("mcn-parsed");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var findingsById = {};
  data.findings.forEach(function (f) { findingsById[f.id] = f; });

  // Which forums each agency sits on, for "show an agency only beside a forum that is shown".
  var agencyForums = {};
  data.edges.forEach(function (e) {
    if (e.kind === "seat") { (agencyForums[e.to] = agencyForums[e.to] || []).push(e.from); }
  });

  var state = {
    agencies: true, overlap: data.defaults.overlap, missing: true,
    levels: new Set(data.filters.levels), sectors: new Set(data.filters.sectors), area: "", category: ""
  };
  var visible = new Set();

  function forumShown(n) {
    if (!state.levels.has(n.level)) return false;
    if (state.area && n.area !== state.area) return false;
    if (state.category === "*") return n.cats.length > 0;
    if (state.category) return n.cats.indexOf(state.category) >= 0;
    return true;
  }
  function computeVisible() {
    visible = new Set();
    var forumFilter = state.area || state.category || state.levels.size < data.filters.levels.length;
    nodes.forEach(function (n) { if (n.kind === "forum" && forumShown(n)) visible.add(n.id); });
    nodes.forEach(function (n) {
      if (n.kind === "agency") {
        if (!state.agencies || !state.sectors.has(n.sector)) return;
        var sits = agencyForums[n.id] || [];
        var beside = sits.some(function (f) { return visible.has(f); });
        var own = state.category && (state.category === "*" ? n.cats.length > 0 : n.cats.indexOf(state.category) >= 0);
        if (beside || own || (!sits.length && !forumFilter)) visible.add(n.id);
      } else if (n.kind === "tier") {
        if (state.levels.has(n.level)) visible.add(n.id);
      } else if (n.kind === "area") {
        if (!state.area || state.area === n.area) visible.add(n.id);
      } else if (n.kind === "missing") {
        if (state.missing && visible.has("forum:" + n.forum) &&
            (!state.category || state.category === "*" || state.category === "missing_partner")) visible.add(n.id);
      }
    });
  }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      if (e.kind === "overlap" && !state.overlap) return false;
      return visible.has(e.from) && visible.has(e.to);
    }
  });

  var container = document.getElementById("network");
  var options = {
    autoResize: true,
    physics: { enabled: false, solver: "barnesHut", stabilization: false,
      barnesHut: { gravitationalConstant: -6000, springLength: 160, avoidOverlap: 0.3 } },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.nodes.length > 1500,
      hideEdgesOnZoom: data.nodes.length > 1500, keyboard: { enabled: false }, multiselect: false },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 },
    nodes: { shapeProperties: { interpolation: false } }
  };
  performance.mark("mcn-datasets");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  performance.mark("mcn-network");
  network.once("afterDrawing", function () {
    // Time from navigation to the first drawn frame, for scripts/bench.py.
    document.documentElement.setAttribute("data-map-ready-ms", String(Math.round(performance.now())));
    document.documentElement.setAttribute("data-map-ready", "true");
  });

  // -- small DOM helpers: text only ----------------------------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // -- neighbourhood highlight ---------------------------------------------------------------------------------
  var dimmed = false;
  function highlight(ids) {
    var keep = new Set(ids);
    ids.forEach(function (id) { network.getConnectedNodes(id).forEach(function (c) { keep.add(c); }); });
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var base = n.baseOpacity !== undefined ? n.baseOpacity : (n.opacity !== undefined ? n.opacity : 1);
      nodeUpdates.push({ id: n.id, baseOpacity: base, opacity: keep.has(n.id) ? base : 0.12 });
    });
    nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      var base = e.baseOpacity !== undefined ? e.baseOpacity : e.color.opacity;
      var on = keep.has(e.from) && keep.has(e.to) && (ids.indexOf(e.from) >= 0 || ids.indexOf(e.to) >= 0);
      edgeUpdates.push({ id: e.id, baseOpacity: base, color: { color: e.color.color, opacity: on ? base : 0.06 } });
    });
    edges.update(edgeUpdates);
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) return;
    var nodeUpdates = [];
    nodes.forEach(function (n) { nodeUpdates.push({ id: n.id, opacity: n.baseOpacity !== undefined ? n.baseOpacity : 1 }); });
    nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      edgeUpdates.push({ id: e.id, color: { color: e.color.color, opacity: e.baseOpacity !== undefined ? e.baseOpacity : e.color.opacity } });
    });
    edges.update(edgeUpdates);
    dimmed = false;
  }

  // -- tabs ----------------------------------------------------------------------------------------------------
  var tabFindings = document.getElementById("tab-findings");
  var tabDetails = document.getElementById("tab-details");
  var findingsPanel = document.getElementById("findings-panel");
  var detailsPanel = document.getElementById("details-panel");
  function showTab(which) {
    var details = which === "details";
    tabDetails.setAttribute("aria-selected", details ? "true" : "false");
    tabFindings.setAttribute("aria-selected", details ? "false" : "true");
    detailsPanel.hidden = !details;
    findingsPanel.hidden = details;
  }
  tabFindings.addEventListener("click", function () { showTab("findings"); });
  tabDetails.addEventListener("click", function () { showTab("details"); });

  // -- details panel -------------------------------------------------------------------------------------------
  function findingItem(f, focusable) {
    var item = el("li");
    var box = el(focusable ? "button" : "div", null, "finding " + f.severity);
    if (focusable) { box.type = "button"; box.addEventListener("click", function () { focusFinding(f); }); }
    box.appendChild(el("span", f.severity + " · " + (data.categoryLabels[f.category] || f.category), "meta"));
    box.appendChild(el("span", f.message));
    var suggestion = data.suggestions[f.suggestion];
    if (suggestion) box.appendChild(el("span", "Next step: " + suggestion, "next"));
    if (f.meam && f.meam.length) {
      box.appendChild(el("span", "Partnership " + f.meam.map(function (m) { return data.meamLabels[m] || m; }).join("; "), "meam"));
    }
    item.appendChild(box);
    return item;
  }
  function row(dl, term, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", value));
  }
  function nodeButton(label, id) {
    var b = el("button", label, "linkish");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function showDetails(id) {
    var d = data.details[id];
    clear(detailsPanel);
    showTab("details");
    if (!d) {
      var n = nodes.get(id);
      if (n && n.kind === "missing") {
        detailsPanel.appendChild(el("h3", n.label));
        detailsPanel.appendChild(el("p", n.title));
        var back = nodeButton("Show the forum", "forum:" + n.forum);
        detailsPanel.appendChild(back);
      }
      return;
    }
    detailsPanel.appendChild(el("h3", d.name));
    var dl = el("dl");
    if (d.kind === "forum") {
      row(dl, "Tier", d.level); row(dl, "Status", d.status); row(dl, "Meets", d.frequency);
      row(dl, "Chair", d.chair); row(dl, "Area", d.area); row(dl, "Purpose", d.purpose); row(dl, "Themes", d.themes);
      row(dl, "Person's voice", d.voice); row(dl, "Last met", d.lastMet); row(dl, "People discussed", d.people);
      detailsPanel.appendChild(dl);
      if (d.missing && d.missing.length) {
        detailsPanel.appendChild(el("h2", "Missing from the table"));
        var ul = el("ul", null, "missing-list");
        d.missing.forEach(function (s) { ul.appendChild(el("li", s)); });
        detailsPanel.appendChild(ul);
      }
      detailsPanel.appendChild(el("h2", "Seats (" + d.seats.length + ")"));
      if (d.seats.length) {
        var table = el("table");
        var head = el("tr");
        ["Agency", "Role", "Seniority", "Meetings attended"].forEach(function (h) { head.appendChild(el("th", h)); });
        table.appendChild(head);
        d.seats.forEach(function (seat) {
          // [agency_id, role, seniority, post, meetings attended, meetings held]
          var agency = data.agencies[seat[0]] || [seat[0], ""];
          var node = "agency:" + seat[0];
          var tr = el("tr");
          var cell = el("td");
          if (nodes.get(node)) cell.appendChild(nodeButton(agency[0], node)); else cell.textContent = agency[0];
          var extra = [agency[1], seat[3]].filter(Boolean).join(" · ");
          if (extra) { cell.appendChild(el("br")); cell.appendChild(el("small", extra)); }
          tr.appendChild(cell);
          tr.appendChild(el("td", seat[1] || "member"));
          tr.appendChild(el("td", seat[2] || "—"));
          var attended = seat[4], held = seat[5];
          tr.appendChild(el("td", attended === null || held === null || !held ? "not recorded" :
            attended + " of " + held + " (" + Math.round(100 * attended / held) + "%)"));
          table.appendChild(tr);
        });
        detailsPanel.appendChild(table);
      } else {
        detailsPanel.appendChild(el("p", "No seats recorded.", "empty"));
      }
    } else {
      row(dl, "Sector", d.sector); row(dl, "Part of", d.parent);
      row(dl, "Forums", String(d.forums.length));
      detailsPanel.appendChild(dl);
      var list = el("ul");
      d.forums.forEach(function (f) {
        var li = el("li");
        if (nodes.get(f.forumNode)) li.appendChild(nodeButton(f.forum, f.forumNode)); else li.appendChild(el("span", f.forum));
        li.appendChild(el("span", " — " + (f.role || "member")));
        list.appendChild(li);
      });
      detailsPanel.appendChild(list);
    }
    detailsPanel.appendChild(el("h2", "Findings (" + d.findings.length + ")"));
    if (d.findings.length) {
      var ol = el("ol", null, "findings");
      d.findings.forEach(function (fid) { if (findingsById[fid]) ol.appendChild(findingItem(findingsById[fid], false)); });
      detailsPanel.appendChild(ol);
    } else {
      detailsPanel.appendChild(el("p", "No findings about this " + (d.kind === "forum" ? "forum." : "agency."), "empty"));
    }
  }

  // -- focusing ------------------------------------------------------------------------------------------------
  function ensureVisible(ids) {
    if (ids.every(function (id) { return visible.has(id); })) return;
    resetFilters();
  }
  function focusNode(id) {
    if (!nodes.get(id)) return;
    ensureVisible([id]);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350 } });
    highlight([id]);
    showDetails(id);
  }
  function focusFinding(f) {
    var ids = f.nodes.filter(function (id) { return nodes.get(id); });
    if (!ids.length) return;
    ensureVisible(ids);
    network.selectNodes(ids);
    highlight(ids);
    if (ids.length === 1) network.focus(ids[0], { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350 } });
    else network.fit({ nodes: ids, animation: { duration: 350 } });
    showDetails(ids[0]);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { highlight([params.nodes[0]]); showDetails(params.nodes[0]); }
    else { unhighlight(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { network.unselectAll(); unhighlight(); }
  });

  // -- findings list -------------------------------------------------------------------------------------------
  var FINDINGS_SHOWN = 300;
  function renderFindings() {
    var list = document.getElementById("findings-list");
    clear(list);
    var shown = data.findings.filter(function (f) {
      return !state.category || state.category === "*" || f.category === state.category;
    });
    var count = document.getElementById("findings-count");
    count.textContent = shown.length ? shown.length + " finding" + (shown.length === 1 ? "" : "s") +
      ", most serious first. Click one to see it on the map." : "No findings to show.";
    shown.slice(0, FINDINGS_SHOWN).forEach(function (f) { list.appendChild(findingItem(f, true)); });
    if (shown.length > FINDINGS_SHOWN) list.appendChild(el("li", "…and " + (shown.length - FINDINGS_SHOWN) +
      " more: choose a kind of finding on the left, or see findings.xlsx.", "empty"));
  }

  // -- filters -------------------------------------------------------------------------------------------------
  var LEVEL_COLOURS = {};
  data.legend.levels.forEach(function (l) { LEVEL_COLOURS[l.key] = l; });
  function checkbox(parent, label, checked, colour, isBox, onChange) {
    var wrap = el("label", null, "check");
    var input = el("input");
    input.type = "checkbox"; input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); });
    wrap.appendChild(input);
    if (colour) { var sw = el("span", null, "swatch" + (isBox ? " box" : "")); sw.style.background = colour; wrap.appendChild(sw); }
    wrap.appendChild(el("span", label));
    parent.appendChild(wrap);
    return input;
  }
  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    renderFindings();
  }
  var levelBoxes = [];
  var levelSet = document.getElementById("filter-levels");
  data.legend.levels.forEach(function (l) {
    levelBoxes.push(checkbox(levelSet, l.label, true, l.background, true, function (on) {
      if (on) state.levels.add(l.key); else state.levels.delete(l.key);
      refresh();
    }));
  });
  var sectorBoxes = {};
  var sectorSet = document.getElementById("filter-sectors");
  data.legend.sectors.forEach(function (s) {
    sectorBoxes[s.key] = checkbox(sectorSet, s.label, true, s.colour, false, function (on) {
      if (on) state.sectors.add(s.key); else state.sectors.delete(s.key);
      refresh();
    });
  });
  if (!data.legend.hasAgencies) sectorSet.hidden = true;
  var areaSelect = document.getElementById("filter-area");
  data.filters.areas.forEach(function (a) { var o = el("option", a); o.value = a; areaSelect.appendChild(o); });
  if (data.filters.areas.length < 2) { areaSelect.hidden = true; areaSelect.previousElementSibling.hidden = true; }
  areaSelect.addEventListener("change", function () { state.area = areaSelect.value; refresh(); });
  var categorySelect = document.getElementById("filter-category");
  data.filters.categories.forEach(function (c) { var o = el("option", "Only: " + c.label); o.value = c.key; categorySelect.appendChild(o); });
  categorySelect.addEventListener("change", function () { state.category = categorySelect.value; refresh(); });

  var toggleAgencies = document.getElementById("toggle-agencies");
  var toggleOverlap = document.getElementById("toggle-overlap");
  var toggleMissing = document.getElementById("toggle-missing");
  if (!data.legend.hasAgencies) toggleAgencies.parentNode.hidden = true;
  if (!data.legend.hasOverlap) toggleOverlap.parentNode.hidden = true;
  if (!data.legend.hasMissing) toggleMissing.parentNode.hidden = true;
  toggleOverlap.checked = state.overlap;
  toggleAgencies.addEventListener("change", function () { state.agencies = toggleAgencies.checked; refresh(); });
  toggleOverlap.addEventListener("change", function () { state.overlap = toggleOverlap.checked; refresh(); });
  toggleMissing.addEventListener("change", function () { state.missing = toggleMissing.checked; refresh(); });
  document.getElementById("toggle-physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  document.getElementById("sectors-all").addEventListener("click", function () {
    data.filters.sectors.forEach(function (s) { state.sectors.add(s); sectorBoxes[s].checked = true; }); refresh();
  });
  document.getElementById("sectors-none").addEventListener("click", function () {
    state.sectors.clear(); Object.keys(sectorBoxes).forEach(function (s) { sectorBoxes[s].checked = false; }); refresh();
  });
  function resetFilters() {
    state.agencies = data.legend.hasAgencies; state.overlap = data.defaults.overlap; state.missing = true;
    state.levels = new Set(data.filters.levels); state.sectors = new Set(data.filters.sectors);
    state.area = ""; state.category = "";
    toggleAgencies.checked = true; toggleOverlap.checked = state.overlap; toggleMissing.checked = true;
    levelBoxes.forEach(function (b) { b.checked = true; });
    Object.keys(sectorBoxes).forEach(function (s) { sectorBoxes[s].checked = true; });
    areaSelect.value = ""; categorySelect.value = "";
    refresh();
  }
  document.getElementById("reset").addEventListener("click", resetFilters);

  // -- search --------------------------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var searchable = data.nodes.filter(function (n) { return n.kind === "forum" || n.kind === "agency"; }).map(function (n) {
    var d = data.details[n.id];
    return { id: n.id, name: d ? d.name : n.label, kind: n.kind, key: (d ? d.name : n.label).toLowerCase() };
  });
  function runSearch() {
    clear(results);
    var q = search.value.trim().toLowerCase();
    if (!q) return;
    var hits = searchable.filter(function (s) { return s.key.indexOf(q) >= 0; });
    hits.sort(function (a, b) { return (a.key.indexOf(q) - b.key.indexOf(q)) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.key < b.key ? -1 : 1); });
    if (!hits.length) { results.appendChild(el("li", "Nothing matches.", "empty")); return; }
    hits.slice(0, 12).forEach(function (h) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.appendChild(el("span", h.name));
      b.appendChild(el("span", h.kind === "forum" ? "  forum" : "  agency", "kind"));
      b.addEventListener("click", function () { clear(results); search.value = h.name; focusNode(h.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var first = results.querySelector("button"); if (first) first.click(); }
    if (event.key === "ArrowDown") { var b = results.querySelector("button"); if (b) { b.focus(); event.preventDefault(); } }
    if (event.key === "Escape") { clear(results); }
  });
  results.addEventListener("keydown", function (event) {
    var items = Array.prototype.slice.call(results.querySelectorAll("button"));
    var i = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < items.length - 1) { items[i + 1].focus(); event.preventDefault(); }
    if (event.key === "ArrowUp") { (i > 0 ? items[i - 1] : search).focus(); event.preventDefault(); }
  });

  // -- legend (always visible, drawn with the same colours as the map) -----------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(w, h) { var s = document.createElementNS(SVG, "svg"); s.setAttribute("width", w); s.setAttribute("height", h); s.setAttribute("aria-hidden", "true"); return s; }
  function shape(parent, tag, attrs) { var s = document.createElementNS(SVG, tag); Object.keys(attrs).forEach(function (k) { s.setAttribute(k, attrs[k]); }); parent.appendChild(s); return s; }
  function legendGroup(title) {
    var g = el("div"); g.appendChild(el("h2", title)); var ul = el("ul"); g.appendChild(ul);
    document.getElementById("legend").appendChild(g); return ul;
  }
  function legendItem(ul, picture, text) { var li = el("li"); li.appendChild(picture); li.appendChild(el("span", text)); ul.appendChild(li); }
  function boxPicture(fill, stroke, dashed, width) {
    var s = svg(26, 16);
    var r = shape(s, "rect", { x: 2, y: 2, width: 22, height: 12, rx: 2, fill: fill, stroke: stroke, "stroke-width": width || 1.5 });
    if (dashed) r.setAttribute("stroke-dasharray", "4 3");
    return s;
  }
  function linePicture(colour, dashes, arrow, width) {
    var s = svg(40, 14);
    var l = shape(s, "line", { x1: 2, y1: 7, x2: arrow ? 30 : 38, y2: 7, stroke: colour, "stroke-width": width || 2.5 });
    if (dashes && dashes.length) l.setAttribute("stroke-dasharray", dashes.join(" "));
    if (arrow) shape(s, "polygon", { points: "30,2 38,7 30,12", fill: colour });
    return s;
  }
  var forumsUl = legendGroup("Forums (boxes)");
  data.legend.levels.forEach(function (l) { legendItem(forumsUl, boxPicture(l.background, l.border), l.label); });
  legendItem(forumsUl, boxPicture(data.legend.faded.background, data.legend.faded.border, true), "Ended or merged (dashed)");
  if (data.legend.links.length || data.legend.hasOverlap) {
    var linksUl = legendGroup("Between forums");
    data.legend.links.forEach(function (l) { legendItem(linksUl, linePicture(l.colour, l.dashes, true), l.label); });
    if (data.legend.hasOverlap) legendItem(linksUl, linePicture(data.legend.overlap, null, false, 4), "Same people at both (number shown)");
  }
  if (data.legend.hasAgencies) {
    var seatUl = legendGroup("Seats");
    legendItem(seatUl, linePicture(data.legend.seat, null, false, 5), "Seat: thicker line = attends more");
    legendItem(seatUl, linePicture(data.legend.seat, [4, 3], false, 1), "Attendance not recorded");
    var dot = svg(14, 14); shape(dot, "circle", { cx: 7, cy: 7, r: 6, fill: "#9a9a9a", stroke: "#fff" });
    legendItem(seatUl, dot, "Agency (dot): colour = sector, see key");
  }
  var findUl = legendGroup("Findings");
  data.legend.severities.forEach(function (s) { legendItem(findUl, boxPicture("#ffffff", s.colour, false, 4), s.label + " — ringed"); });
  if (data.legend.hasMissing || data.findings.some(function (f) { return f.category === "missing_partner"; })) {
    legendItem(findUl, boxPicture("#ffffff", data.legend.missing, true), "Expected partner missing");
  }

  renderFindings();
  performance.mark("mcn-panels");
  // Exposed for tests and for an analyst's console.
  window.mcnMap = {
    network: network, nodes: nodes, edges: edges, state: state, focusNode: focusNode, resetFilters: resetFilters,
    visibleNodeIds: function () { return nodeView.getIds(); },
    nodePosition: function (id) { var p = network.getPositions([id])[id]; return p ? network.canvasToDOM(p) : null; }
  };
})();
