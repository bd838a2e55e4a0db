/* The map's behaviour. Every piece of text from the workbook is written with textContent, never as HTML. */
(function () {
  "use strict";
  performance.mark("mcn-start");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  // The counts on lines are drawn by this page (see drawCounts), clear of forums and badges: vis-network would put
  // them at the middle of the line, whatever lies there.
  data.edges.forEach(function (e) {
    if ((e.kind === "overlap" || e.kind === "flow" || e.kind === "areas") && e.label) { e.count = e.label; delete e.label; }
  });
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

  var hasOverview = data.defaults.overview;
  var state = {
    agencies: true, overlap: data.defaults.overlap, missing: true, flows: false,
    levels: new Set(data.filters.levels), sectors: new Set(data.filters.sectors), areas: null, category: "",
    mode: hasOverview ? "overview" : "map", presenting: false, table: false
  };
  var visible = new Set();

  function forumShown(n) {
    if (!state.levels.has(n.level)) return false;
    if (state.areas && !state.areas.has(n.area)) return false;
    if (state.category === "*") return n.cats.length > 0;
    if (state.category) return n.cats.indexOf(state.category) >= 0;
    return true;
  }
  function computeVisible() {
    visible = new Set();
    document.body.classList.toggle("overview-mode", state.mode === "overview");  // the legend says what is drawn
    if (state.mode === "overview") {
      nodes.forEach(function (n) { if (n.kind === "overview") visible.add(n.id); });
      return;
    }
    var forumFilter = state.areas || state.category || state.levels.size < data.filters.levels.length;
    nodes.forEach(function (n) { if (n.kind === "forum" && forumShown(n)) visible.add(n.id); });
    nodes.forEach(function (n) {
      if (n.kind === "agency") {
        if (!state.agencies || !state.sectors.has(n.sector)) return;
        var sits = agencyForums[n.id] || [];
        var beside = sits.some(function (f) { return visible.has(f); });
        var own = state.category && (state.category === "*" ? n.cats.length > 0 : n.cats.indexOf(state.category) >= 0);
        if (beside || own || (!sits.length && !forumFilter)) visible.add(n.id);
      } else if (n.kind === "tier") {
        // Tier names sit at the left edge of the whole map: shown only when the whole map is.
        if (state.levels.has(n.level) && !state.areas) visible.add(n.id);
      } else if (n.kind === "area") {
        if (!state.areas || state.areas.has(n.area)) visible.add(n.id);
      }
    });
  }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      if (e.kind === "overlap" && !state.overlap) return false;
      if (e.kind === "flow" && !state.flows) return false;  // people's onward paths: only when asked for
      return visible.has(e.from) && visible.has(e.to);
    }
  });

  var container = document.getElementById("network");
  // No physics: the tiers are the message, and a layout that moves cannot be restored or compared.
  var options = {
    autoResize: true,
    physics: { enabled: false, stabilization: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.nodes.length > 1500,
      hideEdgesOnZoom: data.nodes.length > 1500, keyboard: { enabled: false }, multiselect: false,
      selectConnectedEdges: true, hoverConnectedEdges: true },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1 },
    nodes: { shapeProperties: { interpolation: false } }
  };
  performance.mark("mcn-datasets");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  performance.mark("mcn-network");

  // -- legible views: every forum label at least MIN_LABEL_PX CSS pixels tall ------------------------------------
  var MIN_LABEL_PX = 12, AGENCY_LABEL_PX = 11, MAX_FIT_SCALE = 1.6;
  var opening = null;  // the opening view, positions and state, for Reset
  var labelScale = 1;  // presentation mode enlarges labels
  function minForumFont() {
    var least = Infinity;
    nodes.forEach(function (n) { if (n.kind === "forum" && visible.has(n.id)) least = Math.min(least, n.font.size); });
    return isFinite(least) ? least : 20;
  }
  function bounds(ids) {
    var b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    ids.forEach(function (id) {
      var box = network.getBoundingBox(id);
      if (!box) return;
      b.minX = Math.min(b.minX, box.left); b.maxX = Math.max(b.maxX, box.right);
      b.minY = Math.min(b.minY, box.top - 26);  // room for a badge on top
      // In a focus view the agencies' names show at once: room for them under the shapes.
      b.maxY = Math.max(b.maxY, box.bottom + (data.view === "focus" && id.indexOf("agency:") === 0 ? 60 : 0));
    });
    return isFinite(b.minX) ? b : null;
  }
  function scaleFor(b) {
    var w = container.clientWidth, h = container.clientHeight;
    // The overview's labels hang below its circles, and the breadcrumb sits over the top: more room around it.
    var room = state.mode === "overview" ? 0.9 : 0.94;
    return Math.min(w / Math.max(b.maxX - b.minX, 1), h / Math.max(b.maxY - b.minY, 1)) * room;
  }
  // The opening (and every re-fitted) view: everything shown if it can be read; else the forums with the agencies
  // beside them; else the forums alone; else as many forums as can be read, from the top tier down.
  function legibleView() {
    network.redraw();  // sizes nodes that have never been drawn, so their boxes are measured
    var ids = nodeView.getIds();
    var all = bounds(ids);
    if (!all) return { position: { x: 0, y: 0 }, scale: 1 };
    var least = state.mode === "overview" ? 0 : MIN_LABEL_PX / minForumFont();
    // Tier names belong with the forums: a fit to the forums keeps them on screen too.
    var forumIds = ids.filter(function (id) { return id.indexOf("forum:") === 0 || id.indexOf("tier:") === 0; });
    var forums = bounds(forumIds) || all;
    var beside = bounds(ids.filter(function (id) {
      if (id.indexOf("agency:") !== 0) return id.indexOf("forum:") === 0 || id.indexOf("tier:") === 0;
      var p = network.getPosition(id);
      return p.x >= forums.minX - 150 && p.x <= forums.maxX + 150;
    })) || forums;
    var candidates = [all, beside, forums];
    for (var i = 0; i < candidates.length; i++) {
      var scale = scaleFor(candidates[i]);
      if (scale >= least) {
        var b = candidates[i];
        return { position: { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 }, scale: Math.min(scale, MAX_FIT_SCALE) };
      }
    }
    var clamp = least * 1.001;
    return { position: { x: (forums.minX + forums.maxX) / 2, y: forums.minY + container.clientHeight / clamp / 2 }, scale: clamp };
  }
  function fitLegibly(animate) {
    var v = legibleView();
    network.moveTo({ position: v.position, scale: v.scale, animation: animate ? { duration: 300 } : false });
    updateAgencyLabels();
  }

  // -- semantic zoom: agency labels only when they can be read ------------------------------------------------
  var agencyLabelsShown = null;
  var AGENCY_FONT = null;
  function updateAgencyLabels() {
    var scale = network.getScale();
    if (AGENCY_FONT === null) {
      var first = data.nodes.filter(function (n) { return n.kind === "agency"; })[0];
      AGENCY_FONT = first ? first.font.size : 15;
    }
    var show = AGENCY_FONT * scale >= AGENCY_LABEL_PX;
    if (show) declutterDue = true;
    if (show === agencyLabelsShown) return;
    agencyLabelsShown = show;
    var updates = [];
    nodes.forEach(function (n) {
      if (n.kind !== "agency") return;
      var on = show && n.labelled !== false;  // a crowded label waits for hover or selection
      updates.push({ id: n.id, font: { color: on ? "#1b1b1b" : "rgba(0,0,0,0)", strokeWidth: on ? 4 : 0 } });
    });
    if (updates.length) nodes.update(updates);
  }
  var declutterDue = true;  // after the names are shown, or what is shown changes: check them once drawn
  // The layout estimates label widths; once drawn, any agency name that still meets another name or a forum waits
  // for hover or selection (busiest agencies, placed first, keep theirs).
  function declutterAgencies() {
    if (!agencyLabelsShown) return;
    var kept = [], hide = [];
    nodeView.forEach(function (n) {
      if (n.kind !== "forum") return;
      var b = network.getBoundingBox(n.id);
      if (b) kept.push({ left: b.left, top: b.top, right: b.right, bottom: b.bottom });
    });
    nodeView.forEach(function (n) {
      if (n.kind !== "agency" || n.labelled === false) return;
      var s = network.body.nodes[n.id] && network.body.nodes[n.id].labelModule.size;
      if (!s || !s.width) return;
      var box = { left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height };
      if (kept.some(function (k) { return meets(box, k); })) hide.push({ id: n.id, labelled: false, font: { color: "rgba(0,0,0,0)", strokeWidth: 0 } });
      else kept.push(box);
    });
    if (hide.length) nodes.update(hide);
  }
  network.on("zoom", updateAgencyLabels);
  network.on("hoverNode", function (params) {
    var n = nodes.get(params.node);
    if (n && n.kind === "agency" && !(agencyLabelsShown && n.labelled !== false)) nodes.update({ id: n.id, font: { color: "#1b1b1b", strokeWidth: 4 } });
  });
  network.on("blurNode", function (params) {
    var n = nodes.get(params.node);
    if (n && n.kind === "agency" && !(agencyLabelsShown && n.labelled !== false)) nodes.update({ id: n.id, font: { color: "rgba(0,0,0,0)", strokeWidth: 0 } });
  });

  // -- what the map writes over the canvas: badges and the counts on lines, placed so they never hide text -------
  var MISSING = data.legend.missing;
  var badgeBoxes = [], countBoxes = [];  // where each was last drawn (canvas units), for the tests and the tree
  function meets(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function isClear(box, taken, except) {
    return !taken.some(function (t) { return t.id !== except && meets(box, t); });
  }
  function pill(ctx, text, x, y, size, fill, colour, stroke) {
    ctx.font = "700 " + size + "px Segoe UI, Arial, sans-serif";
    var w = ctx.measureText(text).width + size, h = size + 8;
    return { text: text, left: x - w, top: y - h, right: x, bottom: y, draw: function (left, top) {
      ctx.fillStyle = fill; ctx.strokeStyle = stroke; ctx.lineWidth = 2;
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(left, top, w, h, h / 2); else ctx.rect(left, top, w, h);
      ctx.fill(); ctx.stroke();
      ctx.fillStyle = colour; ctx.textBaseline = "middle"; ctx.textAlign = "center";
      ctx.fillText(text, left + w / 2, top + h / 2 + 1);
    }, w: w, h: h };
  }
  // Everything already carrying text: forums, tier names, and agency names where they are shown.
  function textBoxes() {
    var out = [];
    nodeView.forEach(function (n) {
      if (n.kind === "forum" || n.kind === "tier" || n.kind === "overview") {
        var b = network.getBoundingBox(n.id);
        if (b) out.push({ id: n.id, left: b.left, top: b.top, right: b.right, bottom: b.bottom });
      } else if (n.kind === "agency" && n.font && n.font.color !== "rgba(0,0,0,0)") {
        var s = network.body.nodes[n.id] && network.body.nodes[n.id].labelModule.size;
        if (s && s.width) out.push({ id: n.id, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height });
      }
    });
    return out;
  }
  // A badge sits on its forum's top edge; where the full words would meet another forum or badge it shortens to
  // the count ("✕ 3"), and the names stay in the details panel, the tree and the table.
  function drawBadges(ctx, taken) {
    var size = Math.round(Math.max(16, 12.5 / network.getScale()) * labelScale);  // at least 12.5 CSS px
    nodeView.forEach(function (n) {
      if (n.kind !== "forum" || !n.missing) return;
      var box = network.getBoundingBox(n.id);
      if (!box) return;
      var chosen = null;
      // The full words at the right of the top edge, then at its left; then the count alone, likewise.
      [n.badge, "\u2715 " + n.missing.length].some(function (text) {
        var b = pill(ctx, text, box.right + 6, box.top + 3, size, MISSING, "#ffffff", "#ffffff");
        return [0, b.w - 12 - (box.right - box.left)].some(function (shift) {
          var spot = { id: n.id, left: b.left + shift, top: b.top, right: b.right + shift, bottom: b.bottom };
          if (shift && b.w - 12 > box.right - box.left) return false;  // wider than the box: one place only
          if (!chosen) chosen = { pill: b, spot: spot };  // the fallback: the full words at the right
          if (isClear(spot, taken, n.id)) { chosen = { pill: b, spot: spot }; return true; }
          return false;
        });
      });
      chosen.pill.draw(chosen.spot.left, chosen.spot.top);
      taken.push(chosen.spot);
      badgeBoxes.push(chosen.spot);
    });
  }
  // The count on a line of shared people: at the point of the line nearest its middle (or just beside it) that
  // hides no forum, badge or other count, the largest counts placed first. A count with no such point is left to
  // the line's tooltip, the details panel and the tree rather than drawn over a name.
  var T_STEPS = [0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74, 0.2, 0.8, 0.14, 0.86];
  function countValue(text) { return text.charAt(0) === "<" ? 0 : Number(String(text).replace(/,/g, "")); }
  function drawCounts(ctx, taken) {
    var size = Math.round(Math.max(15, 12 / network.getScale()));  // at least 12 CSS px
    var shown = edgeView.get({ filter: function (e) { return !!e.count; } });
    shown.sort(function (a, b) { return countValue(b.count) - countValue(a.count); });
    shown.forEach(function (e) {
      var edge = network.body.edges[e.id];
      if (!edge || !edge.edgeType || !edge.connected) return;
      var colour = e.kind === "flow" ? data.legend.flow : data.legend.overlap;  // areas: the shared-people colour
      var b = pill(ctx, e.count, 0, 0, size, "#ffffff", colour, colour);
      var found = null;
      T_STEPS.some(function (t) {
        var p = edge.edgeType.getPoint(t);
        return [0, -0.7, 0.7, -1.6, 1.6, -2.6, 2.6].some(function (shift) {
          var spot = { id: e.id, left: p.x - b.w / 2, top: p.y - b.h / 2 + shift * b.h, right: p.x + b.w / 2,
                       bottom: p.y + b.h / 2 + shift * b.h };
          if (isClear(spot, taken)) { found = spot; return true; }
          return false;
        });
      });
      if (!found) return;
      b.draw(found.left, found.top);
      taken.push(found);
      countBoxes.push(found);
    });
  }
  network.on("afterDrawing", function (ctx) {
    if (declutterDue && agencyLabelsShown) { declutterDue = false; setTimeout(declutterAgencies, 0); }
    badgeBoxes = []; countBoxes = [];
    var taken = textBoxes();
    if (state.missing && state.mode !== "overview") drawBadges(ctx, taken);
    drawCounts(ctx, taken);
  });

  // The tooltip never covers the forum it describes: below the box, or above it when there is no room below.
  network.on("showPopup", function (id) {
    var tip = container.querySelector("div.vis-tooltip");
    var b = nodes.get(id) && network.getBoundingBox(id);
    if (!tip || !b) return;
    var top = network.canvasToDOM({ x: b.left, y: b.top }), bottom = network.canvasToDOM({ x: b.right, y: b.bottom });
    var h = tip.offsetHeight, w = tip.offsetWidth, room = container.clientHeight;
    var y = bottom.y + 8 + h <= room ? bottom.y + 8 : Math.max(0, top.y - 8 - h);
    var x = Math.min(Math.max(0, (top.x + bottom.x) / 2 - w / 2), Math.max(0, container.clientWidth - w));
    tip.style.left = x + "px"; tip.style.top = y + "px";
  });

  // vis-network fits everything once its first frame is drawn; the legible opening view replaces that fit.
  network.once("afterDrawing", function () {
    setTimeout(function () {
      fitLegibly(false);
      opening = { view: { position: network.getViewPosition(), scale: network.getScale() },
                  positions: network.getPositions(), mode: state.mode };
      network.once("afterDrawing", function () {
        // Time from navigation to the opening view drawn, for scripts/bench.py.
        document.documentElement.setAttribute("data-map-ready-ms", String(Math.round(performance.now())));
        document.documentElement.setAttribute("data-map-ready", "true");
      });
      network.redraw();
    }, 0);
  });

  // -- small DOM helpers: text only ----------------------------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // -- neighbourhood highlight: other nodes fade; connected seats and links come forward (vis-network highlight) --
  var dimmed = false;
  function highlight(ids) {
    var keep = new Set(ids);
    ids.forEach(function (id) { network.getConnectedNodes(id).forEach(function (c) { keep.add(c); }); });
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      if (n.kind === "overview") return;
      var base = n.baseOpacity !== undefined ? n.baseOpacity : (n.opacity !== undefined ? n.opacity : 1);
      var update = { id: n.id, baseOpacity: base, opacity: keep.has(n.id) ? base : 0.15 };
      // The agencies at a selected forum (or the selected agency) are named, whatever the zoom.
      if (n.kind === "agency") update.font = keep.has(n.id) ? { color: "#1b1b1b", strokeWidth: 4 } : { color: "rgba(0,0,0,0)", strokeWidth: 0 };
      nodeUpdates.push(update);
    });
    nodes.update(nodeUpdates);
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) return;
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      if (n.kind === "overview") return;
      nodeUpdates.push({ id: n.id, opacity: n.baseOpacity !== undefined ? n.baseOpacity : 1 });
    });
    nodes.update(nodeUpdates);
    dimmed = false;
    agencyLabelsShown = null;  // back to what the zoom allows
    updateAgencyLabels();
  }

  // -- tabs ----------------------------------------------------------------------------------------------------
  var TABS = ["findings", "details", "explore"];
  function showTab(which) {
    TABS.forEach(function (name) {
      document.getElementById("tab-" + name).setAttribute("aria-selected", name === which ? "true" : "false");
      document.getElementById(name + "-panel").hidden = name !== which;
    });
  }
  TABS.forEach(function (name) {
    document.getElementById("tab-" + name).addEventListener("click", function () { showTab(name); });
  });
  var detailsPanel = document.getElementById("details-panel");

  // -- details panel -------------------------------------------------------------------------------------------
  function findingItem(f, focusable) {
    var item = el("li");
    var box = el(focusable ? "button" : "div", null, "finding " + f.severity);
    if (focusable) { box.type = "button"; box.addEventListener("click", function () { focusFinding(f); }); }
    box.appendChild(el("span", f.severity + " · " + (data.categoryLabels[f.category] || f.category), "meta"));
    box.appendChild(el("span", f.message));
    if (f.response) {  // the partnership has discussed it: say so, with who owns it
      box.appendChild(el("span", "Response: " + f.response.status + (f.response.owner ? " · owner " + f.response.owner : "") +
        (f.response.review ? " · review " + f.response.review : ""), "response"));
    }
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
    if (!d) return;
    detailsPanel.appendChild(el("h3", d.name));
    var dl = el("dl");
    if (d.kind === "forum") {
      row(dl, "Tier", d.level); row(dl, "Kind", d.nationalKind); row(dl, "Status", d.status); row(dl, "Meets", d.frequency);
      row(dl, "Chair", d.chair); row(dl, "Area", d.area); row(dl, "Purpose", d.purpose); row(dl, "Themes", d.themes);
      row(dl, "Person's voice", d.voice); row(dl, "Last met", d.lastMet); row(dl, "People discussed", d.people);
      detailsPanel.appendChild(dl);
      if (d.missing && d.missing.length) {
        detailsPanel.appendChild(el("h2", "Expected partners missing or present on paper only"));
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
    resetFilters(true);
  }
  function focusNode(id) {
    if (!nodes.get(id)) return;
    showTable(false);
    ensureVisible([id]);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350 } });
    highlight([id]);
    showDetails(id);
  }
  function focusFinding(f) {
    var ids = f.nodes.filter(function (id) { return nodes.get(id); });
    if (!ids.length) return;
    showTable(false);
    ensureVisible(ids);
    network.selectNodes(ids);
    highlight(ids);
    if (ids.length === 1) network.focus(ids[0], { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350 } });
    else network.fit({ nodes: ids, animation: { duration: 350 } });
    showDetails(ids[0]);
  }

  // -- the overview of areas and the breadcrumb back --------------------------------------------------------------
  var breadcrumb = document.getElementById("breadcrumb");
  var crumbHere = document.getElementById("crumb-here");
  var crumbAll = document.getElementById("crumb-all");
  function updateBreadcrumb(label) {
    if (!hasOverview) return;
    breadcrumb.hidden = false;
    if (state.mode === "overview") {
      crumbHere.hidden = true; crumbAll.setAttribute("aria-current", "page"); crumbAll.disabled = true;
    } else {
      crumbAll.removeAttribute("aria-current"); crumbAll.disabled = false;
      crumbHere.hidden = false; crumbHere.textContent = label || "All forums"; crumbHere.setAttribute("aria-current", "page");
    }
  }
  function openArea(areas, label) {
    state.mode = "map";
    state.areas = areas ? new Set(areas) : null;
    areaSelect.value = areas && areas.length === 1 ? areas[0] : "";
    updateBreadcrumb(label || (areas ? areas.join(", ") : "All forums"));
    refresh();
  }
  function showOverview() {
    if (!hasOverview) return;
    state.mode = "overview"; state.areas = null; areaSelect.value = "";
    unhighlight(); network.unselectAll();
    updateBreadcrumb();
    refresh();
  }
  crumbAll.addEventListener("click", showOverview);

  network.on("click", function (params) {
    if (!params.nodes.length) { unhighlight(); return; }
    var n = nodes.get(params.nodes[0]);
    if (n && n.kind === "overview") { openArea(n.areas, n.label.split("\n")[0]); return; }
    highlight([params.nodes[0]]); showDetails(params.nodes[0]);
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
    var answered = shown.filter(function (f) { return f.response; }).length;
    count.textContent = shown.length ? shown.length + " finding" + (shown.length === 1 ? "" : "s") +
      (answered ? " (" + answered + " with a response from the partnership)" : "") +
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
  // Every filter re-fits the view to what it leaves on the map.
  function refresh(keepView) {
    declutterDue = true;
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    renderFindings();
    if (!keepView) fitLegibly(true);
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
  areaSelect.addEventListener("change", function () {
    if (areaSelect.value) openArea([areaSelect.value], areaSelect.value);
    else openArea(null, "All forums");
  });
  var categorySelect = document.getElementById("filter-category");
  data.filters.categories.forEach(function (c) { var o = el("option", "Only: " + c.label); o.value = c.key; categorySelect.appendChild(o); });
  categorySelect.addEventListener("change", function () { state.category = categorySelect.value; refresh(); });

  var toggleAgencies = document.getElementById("toggle-agencies");
  var toggleOverlap = document.getElementById("toggle-overlap");
  var toggleMissing = document.getElementById("toggle-missing");
  var toggleFlows = document.getElementById("toggle-flows");
  if (!data.legend.hasFlows) toggleFlows.parentNode.hidden = true;
  toggleFlows.addEventListener("change", function () { state.flows = toggleFlows.checked; refresh(); });
  if (!data.legend.hasAgencies) toggleAgencies.parentNode.hidden = true;
  if (!data.legend.hasOverlap) toggleOverlap.parentNode.hidden = true;
  if (!data.legend.hasMissing) toggleMissing.parentNode.hidden = true;
  toggleOverlap.checked = state.overlap;
  toggleAgencies.addEventListener("change", function () { state.agencies = toggleAgencies.checked; refresh(); });
  toggleOverlap.addEventListener("change", function () { state.overlap = toggleOverlap.checked; refresh(); });
  toggleMissing.addEventListener("change", function () { state.missing = toggleMissing.checked; refresh(); });
  document.getElementById("fit").addEventListener("click", function () { fitLegibly(true); });
  document.getElementById("sectors-all").addEventListener("click", function () {
    data.filters.sectors.forEach(function (s) { state.sectors.add(s); sectorBoxes[s].checked = true; }); refresh();
  });
  document.getElementById("sectors-none").addEventListener("click", function () {
    state.sectors.clear(); Object.keys(sectorBoxes).forEach(function (s) { sectorBoxes[s].checked = false; }); refresh();
  });
  function resetFilters(keepView) {
    state.agencies = data.legend.hasAgencies; state.overlap = data.defaults.overlap; state.missing = true;
    state.flows = false; toggleFlows.checked = false;
    state.levels = new Set(data.filters.levels); state.sectors = new Set(data.filters.sectors);
    state.category = "";
    if (state.mode === "map" && !keepView) state.areas = null;
    if (keepView) { state.areas = null; state.mode = "map"; }
    toggleAgencies.checked = true; toggleOverlap.checked = state.overlap; toggleMissing.checked = true;
    levelBoxes.forEach(function (b) { b.checked = true; });
    Object.keys(sectorBoxes).forEach(function (s) { sectorBoxes[s].checked = true; });
    areaSelect.value = ""; categorySelect.value = "";
    refresh(keepView);
  }
  // Reset: the opening view exactly — filters, the overview if the map opened on one, node positions, zoom.
  function reset() {
    unhighlight(); network.unselectAll();
    state.mode = opening ? opening.mode : state.mode; state.areas = null;
    resetFilters(true);
    state.mode = opening ? opening.mode : "map";
    computeVisible(); nodeView.refresh(); edgeView.refresh();
    updateBreadcrumb("All forums");
    if (!opening) return;
    var moves = [];
    Object.keys(opening.positions).forEach(function (id) {
      var p = opening.positions[id];
      moves.push({ id: id, x: p.x, y: p.y });
    });
    nodes.update(moves);
    network.moveTo({ position: opening.view.position, scale: opening.view.scale, animation: false });
    updateAgencyLabels();
  }
  document.getElementById("reset").addEventListener("click", reset);

  // -- presentation mode: the map, large labels and a compact legend ---------------------------------------------
  var presentButton = document.getElementById("present");
  function present(on) {
    on = on === undefined ? !state.presenting : !!on;
    if (on === state.presenting) return;
    state.presenting = on;
    document.body.classList.toggle("presenting", on);
    presentButton.setAttribute("aria-pressed", on ? "true" : "false");
    presentButton.textContent = on ? "Exit presentation" : "Present";
    labelScale = on ? 1.1 : 1;
    var updates = [];
    data.nodes.forEach(function (n) {
      if (n.kind === "forum" || n.kind === "overview") {  // tier names already clear the boxes: left as they are
        var update = { id: n.id, font: { size: Math.round(n.font.size * labelScale) } };
        // Wider boxes for the larger text (still inside the layout's spacing), so boxes stay as tall and apart.
        if (n.widthConstraint) update.widthConstraint = on ? { minimum: n.widthConstraint.minimum * 1.06, maximum: n.widthConstraint.maximum * 1.06 } : n.widthConstraint;
        updates.push(update);
      }
    });
    nodes.update(updates);
    setTimeout(function () { network.redraw(); fitLegibly(false); }, 0);
  }
  presentButton.addEventListener("click", function () { present(); });

  // -- table view: the same content as text, for screen readers and keyboards -------------------------------------
  var tableView = document.getElementById("table-view");
  var tableButton = document.getElementById("table-toggle");
  function showTable(on) {
    on = on === undefined ? !state.table : !!on;
    state.table = on;
    tableView.hidden = !on;
    document.body.classList.toggle("table-open", on);  // the table takes the whole screen: panels fold away
    tableButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) tableView.focus();
  }
  tableButton.addEventListener("click", function () { showTable(); });
  // Sorting: each column heading is a button; a second press reverses. Rows carry their sort values as data.
  var forumTable = document.getElementById("forum-table");
  function sortTable(th) {
    var button = th.querySelector("button.sort"), key = button.getAttribute("data-key");
    var numeric = button.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(forumTable.querySelectorAll("thead th"), function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = forumTable.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "en-GB", { sensitivity: "base" });
      if (!c) c = a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"), "en-GB");
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  if (forumTable) Array.prototype.forEach.call(forumTable.querySelectorAll("thead th"), function (th) {
    th.querySelector("button.sort").addEventListener("click", function () { sortTable(th); });
  });
  document.getElementById("table-close").addEventListener("click", function () { showTable(false); tableButton.focus(); });
  document.getElementById("skip-table").addEventListener("click", function (event) { event.preventDefault(); showTable(true); });

  // -- save picture: the current view redrawn at slide resolution, as a PNG, from the page ------------------------
  function picture(width, height) {
    width = width || 1920; height = height || 1080;
    var view = { position: network.getViewPosition(), scale: network.getScale() };
    var w = container.clientWidth, h = container.clientHeight;
    var factor = Math.min(width / w, height / h);
    var saved = container.getAttribute("style");
    container.style.cssText = "position:fixed;left:0;top:0;width:" + width + "px;height:" + height + "px;z-index:-1";
    network.setSize(width + "px", height + "px");
    network.moveTo({ position: view.position, scale: view.scale * factor, animation: false });
    network.redraw();
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = width; out.height = height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, width, height);
    ctx.drawImage(canvas, 0, 0, width, height);
    ctx.fillStyle = "#0b2545"; ctx.font = "600 26px Segoe UI, Arial, sans-serif"; ctx.textBaseline = "top";
    ctx.fillText(document.querySelector("h1").textContent, 24, 18);
    if (saved === null) container.removeAttribute("style"); else container.setAttribute("style", saved);
    network.setSize("100%", "100%");
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    network.redraw();
    return out.toDataURL("image/png");
  }
  document.getElementById("save-picture").addEventListener("click", function () {
    var link = el("a");
    link.href = picture();
    link.download = "map.png";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
  });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    var typing = tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
    if (event.key === "Escape") {
      network.unselectAll(); unhighlight();
      if (state.table) { showTable(false); tableButton.focus(); } else if (state.presenting) present(false);
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "p" || event.key === "P") { present(); event.preventDefault(); }
    if (event.key === "t" || event.key === "T") { showTable(); event.preventDefault(); }
    if (event.key === "e" || event.key === "E") { if (state.presenting) present(false); explore(); event.preventDefault(); }
  });

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
  function legendGroup(title, cls) {
    var g = el("div", null, cls || "map-only"); g.appendChild(el("h2", title)); var ul = el("ul"); g.appendChild(ul);
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
  function familyPicture(colour, kind) {
    var s = svg(16, 16), a = { fill: colour, stroke: "#333", "stroke-width": 1 };
    if (kind === "dot") { a.cx = 8; a.cy = 8; a.r = 6; shape(s, "circle", a); }
    else if (kind === "square") { a.x = 2; a.y = 2; a.width = 12; a.height = 12; shape(s, "rect", a); }
    else if (kind === "diamond") { a.points = "8,1 15,8 8,15 1,8"; shape(s, "polygon", a); }
    else if (kind === "triangle") { a.points = "8,1 15,14 1,14"; shape(s, "polygon", a); }
    else if (kind === "triangleDown") { a.points = "1,2 15,2 8,15"; shape(s, "polygon", a); }
    else if (kind === "star") { a.points = "8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6"; shape(s, "polygon", a); }
    else { a.points = "4,1 12,1 15,8 12,15 4,15 1,8"; shape(s, "polygon", a); }
    return s;
  }
  function badgePicture() { return el("span", "\u2715 2 missing", "badge-pic"); }
  var forumsUl = legendGroup("Forums (boxes, by tier)");
  data.legend.levels.forEach(function (l) { legendItem(forumsUl, boxPicture(l.background, l.border), l.label); });
  legendItem(forumsUl, boxPicture(data.legend.faded.background, data.legend.faded.border, true), "Ended or merged (dashed)");
  var findUl = legendGroup("Findings");
  legendItem(findUl, boxPicture("#ffffff", data.legend.severities[0].colour, false, 4),
    "Ring: in the top " + data.legend.ringed + " findings");
  if (data.legend.hasMissing) legendItem(findUl, badgePicture(), "Expected partners missing");
  if (data.legend.families.length) {
    var familyUl = legendGroup("Agencies by sector");
    data.legend.families.forEach(function (f) { legendItem(familyUl, familyPicture(f.colour, f.shape), f.label); });
  }
  var linksUl = null;
  if (data.legend.links.length || data.legend.hasOverlap || data.legend.hasFlows) {
    linksUl = legendGroup("Between forums");
    data.legend.links.forEach(function (l) { legendItem(linksUl, linePicture(l.colour, l.dashes, true), l.label); });
    if (data.legend.hasOverlap) legendItem(linksUl, linePicture(data.legend.overlap, null, false, 4), "Same people at both");
    if (data.legend.hasFlows) legendItem(linksUl, linePicture(data.legend.flow, [3, 3], true, 3), "Where people go next");
  }
  if (data.legend.hasAgencies) {
    if (!linksUl) linksUl = legendGroup("Between forums");
    legendItem(linksUl, linePicture("#9a9a9a", null, false, 2), "Seat (agency to forum)");
  }

  // The overview's own legend: what its colours measure, step by step; what its sizes and lines mean.
  if (data.legend.overview) {
    var ov = data.legend.overview;
    var stepsUl = legendGroup("Areas: colour", "overview-only");
    stepsUl.parentNode.insertBefore(el("p", ov.name, "rate-name"), stepsUl);
    ov.steps.forEach(function (s) {
      var dot = svg(16, 16); shape(dot, "circle", { cx: 8, cy: 8, r: 6.5, fill: s.colour, stroke: "#1b1b1b", "stroke-width": 1 });
      legendItem(stepsUl, dot, s.label);
    });
    var sizeUl = legendGroup("Areas: size and lines", "overview-only");
    var small = svg(16, 16); shape(small, "circle", { cx: 8, cy: 8, r: 4, fill: "#ffffff", stroke: "#1b1b1b" });
    var large = svg(16, 16); shape(large, "circle", { cx: 8, cy: 8, r: 7, fill: "#ffffff", stroke: "#1b1b1b" });
    legendItem(sizeUl, small, "Fewer people discussed");
    legendItem(sizeUl, large, "More people discussed");
    if (ov.lines) legendItem(sizeUl, linePicture(data.legend.overlap, null, false, 4), ov.lines);
    legendItem(sizeUl, el("span", "Click", "badge-pic click"), "an area to open its map");
  }

  // -- the map as a tree for the keyboard and screen readers (after Olli and Data Navigator) ---------------------
  // Tiers -> forums -> seats, links, shared people, missing partners and findings; an agency is reachable from
  // every forum it sits on. Each item says its name, its position ("3 of 12") and how many items lie below it;
  // the canvas highlights the forum or agency in focus. Children are built only when an item is first opened.
  var tree = document.getElementById("explore-tree");
  var treeIds = 0;
  var forumItems = {};  // forum node id -> its tree item, so a link can jump to it
  var exploreGroups = [];  // groups other views add under each forum's item (a mapping round's view adds one)
  function forumLinks(fid) {
    var out = [];
    data.edges.forEach(function (e) {
      if (e.kind !== "link" && e.kind !== "overlap") return;
      if (e.from !== fid && e.to !== fid) return;
      out.push(e);
    });
    return out;
  }
  function nodeName(id) { var d = data.details[id]; return d ? d.name : id; }
  function plural(n, word) { return n + " " + (n === 1 ? word : word === "agency" ? "agencies" : word + "s"); }
  function treeItem(parent, spec, position, size, level) {
    var li = el("li");
    li.setAttribute("role", "treeitem");
    li.setAttribute("aria-level", String(level));
    li.setAttribute("aria-posinset", String(position));
    li.setAttribute("aria-setsize", String(size));
    li.tabIndex = -1;
    var label = el("span", spec.text + ", " + position + " of " + size + (spec.counts ? ": " + spec.counts : ""), "tree-label");
    label.id = "tree-" + (++treeIds);
    li.setAttribute("aria-labelledby", label.id);
    li.appendChild(label);
    li._spec = spec;
    if (spec.children) li.setAttribute("aria-expanded", "false");
    parent.appendChild(li);
    return li;
  }
  function fillGroup(li) {
    if (li._group) return li._group;
    var group = el("ul");
    group.setAttribute("role", "group");
    var kids = li._spec.children();
    var level = Number(li.getAttribute("aria-level")) + 1;
    kids.forEach(function (spec, i) { treeItem(group, spec, i + 1, kids.length, level); });
    li.appendChild(group);
    li._group = group;
    return group;
  }
  function expand(li, open) {
    if (!li._spec.children) return;
    if (open) fillGroup(li);
    li.setAttribute("aria-expanded", open ? "true" : "false");
    if (li._group) li._group.hidden = !open;
  }
  function agencySpec(agencyId, role) {
    var node = "agency:" + agencyId, forums = [];
    data.edges.forEach(function (e) { if (e.kind === "seat" && e.to === node) forums.push(e.from); });
    var name = (data.agencies[agencyId] || [agencyId])[0];
    return { text: name + (role ? " (" + role + ")" : ""), node: nodes.get(node) ? node : null,
      counts: "sits on " + plural(forums.length, "forum"),
      children: forums.length ? function () { return forums.map(function (f) { return jumpSpec(f, nodeName(f)); }); } : null };
  }
  function jumpSpec(forumNode, text) { return { text: text, node: forumNode, jump: forumNode, counts: "Enter goes to this forum" }; }
  function findingSpecs(ids) {
    return ids.filter(function (fid) { return findingsById[fid]; }).map(function (fid) {
      var f = findingsById[fid];
      return { text: f.severity + ": " + f.message };
    });
  }
  function forumSpec(n) {
    var d = data.details[n.id];
    var links = forumLinks(n.id);
    var missing = d.missing || [];
    var groups = [];
    groups.push({ text: "Seats", counts: plural(d.seats.length, "agency") + " at the table", children: d.seats.length ? function () {
      return d.seats.map(function (s) { return agencySpec(s[0], s[1] || "member"); });
    } : null });
    var joined = links.filter(function (e) { return e.kind === "link"; });
    groups.push({ text: "Links", counts: plural(joined.length, "link"), children: joined.length ? function () {
      return joined.map(function (e) {
        var other = e.from === n.id ? e.to : e.from;
        return jumpSpec(other, e.title || nodeName(other));
      });
    } : null });
    var shared = links.filter(function (e) { return e.kind === "overlap"; });
    if (shared.length) groups.push({ text: "Shares people with", counts: plural(shared.length, "forum"), children: function () {
      return shared.map(function (e) { return jumpSpec(e.from === n.id ? e.to : e.from, e.title); });
    } });
    if (missing.length) groups.push({ text: "Expected partners missing or on paper only", counts: String(missing.length),
      children: function () { return missing.map(function (m) { return { text: m }; }); } });
    groups.push({ text: "Findings", counts: plural(d.findings.length, "finding"), children: d.findings.length ? function () {
      return findingSpecs(d.findings);
    } : null });
    exploreGroups.forEach(function (group) { var spec = group(n.id); if (spec) groups.push(spec); });
    var status = d.status && d.status !== "Active" ? " (" + d.status.toLowerCase() + ")" : "";
    return { text: d.name + status + ", " + d.level.toLowerCase() + " forum", node: n.id, forum: true,
      counts: plural(d.seats.length, "seat") + ", " + plural(joined.length, "link") + ", " + plural(d.findings.length, "finding") +
        (missing.length ? ", " + missing.length + " missing" : ""),
      children: function () { return groups; } };
  }
  function buildTree() {
    var tiers = data.legend.levels.map(function (l) {
      // In reading order, as drawn: row by row, left to right.
      var forums = data.nodes.filter(function (n) { return n.kind === "forum" && n.level === l.key && data.details[n.id]; })
        .sort(function (a, b) { return ((a.y || 0) - (b.y || 0)) || ((a.x || 0) - (b.x || 0)); });
      return { text: l.label + " forums", counts: plural(forums.length, "forum"),
        children: forums.length ? function () { return forums.map(forumSpec); } : null };
    }).filter(function (s) { return s.children; });
    var agencies = data.nodes.filter(function (n) { return n.kind === "agency"; });
    if (agencies.length) tiers.push({ text: "Agencies", counts: plural(agencies.length, "agency"), children: function () {
      return agencies.map(function (n) { return agencySpec(n.id.slice(7)); });
    } });
    tiers.forEach(function (spec, i) { treeItem(tree, spec, i + 1, tiers.length, 1); });
    var first = tree.querySelector("[role=treeitem]");
    if (first) first.tabIndex = 0;
  }
  function shownItems() {
    return Array.prototype.filter.call(tree.querySelectorAll("[role=treeitem]"), function (li) {
      for (var p = li.parentNode; p && p !== tree; p = p.parentNode) { if (p.hidden) return false; }
      return true;
    });
  }
  function treeFocus(li) {
    Array.prototype.forEach.call(tree.querySelectorAll("[tabindex='0']"), function (x) { x.tabIndex = -1; });
    li.tabIndex = 0;
    li.focus();
    var spec = li._spec;
    if (spec.node && nodes.get(spec.node)) {
      ensureVisible([spec.node]);
      network.selectNodes([spec.node]);
      highlight([spec.node]);
      var p = network.getPositions([spec.node])[spec.node], dom = p && network.canvasToDOM(p);
      if (dom && (dom.x < 0 || dom.y < 0 || dom.x > container.clientWidth || dom.y > container.clientHeight)) {
        network.moveTo({ position: p, animation: false });
      }
    }
  }
  function jumpTo(forumNode) {
    var d = data.details[forumNode];
    if (!d) return;
    var tierItem = Array.prototype.filter.call(tree.children, function (li) { return li._spec.text === d.level + " forums"; })[0];
    if (!tierItem) return;
    expand(tierItem, true);
    var target = Array.prototype.filter.call(tierItem._group.children, function (li) { return li._spec.node === forumNode; })[0];
    if (target) treeFocus(target);
  }
  tree.addEventListener("keydown", function (event) {
    var li = event.target.closest("[role=treeitem]");
    if (!li) return;
    var items = shownItems(), i = items.indexOf(li), spec = li._spec, open = li.getAttribute("aria-expanded") === "true";
    var handled = true;
    if (event.key === "ArrowDown") { if (i < items.length - 1) treeFocus(items[i + 1]); }
    else if (event.key === "ArrowUp") { if (i > 0) treeFocus(items[i - 1]); }
    else if (event.key === "Home") treeFocus(items[0]);
    else if (event.key === "End") treeFocus(items[items.length - 1]);
    else if (event.key === "ArrowRight") {
      if (spec.children && !open) expand(li, true);
      else if (open && li._group.firstChild) treeFocus(li._group.firstChild);
    } else if (event.key === "ArrowLeft") {
      if (open) expand(li, false);
      else { var up = li.parentNode.closest("[role=treeitem]"); if (up) treeFocus(up); }
    } else if (event.key === "Enter" || event.key === " ") {
      if (spec.jump) jumpTo(spec.jump);
      else if (spec.children) expand(li, !open);
      else if (spec.node) showDetails(spec.node);
    } else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  });
  tree.addEventListener("click", function (event) {
    var li = event.target.closest("[role=treeitem]");
    if (!li) return;
    if (li._spec.jump) { jumpTo(li._spec.jump); return; }
    if (li._spec.children) expand(li, li.getAttribute("aria-expanded") !== "true");
    treeFocus(li);
  });
  function explore() {
    showTab("explore");
    if (!tree.firstChild) buildTree();
    var current = tree.querySelector("[tabindex='0']");
    if (current) treeFocus(current);
  }
  document.getElementById("tab-explore").addEventListener("click", function () { if (!tree.firstChild) buildTree(); });
  // From the canvas, Enter or an arrow key walks into the tree.
  container.addEventListener("keydown", function (event) {
    if (["Enter", "ArrowDown", "ArrowRight"].indexOf(event.key) >= 0) { event.preventDefault(); explore(); }
  });

  renderFindings();
  performance.mark("mcn-panels");
  // Exposed for tests and for an analyst's console.
  window.mcnMap = {
    network: network, nodes: nodes, edges: edges, state: state,
    // "overview" (one element per area), "map" (forums and agencies) or "table" (the table view in front)
    view: function () { return state.table ? "table" : state.mode; },
    dataView: data.view, focusNode: focusNode, resetFilters: resetFilters, reset: reset, present: present,
    showTable: showTable, openArea: openArea, explore: explore, showOverview: showOverview, picture: picture,
    // (forum node id) -> a tree item spec {text, counts, children} or null: one more group under each forum
    addExploreGroup: function (group) { exploreGroups.push(group); },
    opening: function () { return opening; },
    visibleNodeIds: function () { return nodeView.getIds(); },
    visibleEdgeIds: function () { return edgeView.getIds(); },
    badges: function () { return badgeBoxes.slice(); },
    counts: function () { return countBoxes.slice(); },
    nodePosition: function (id) { var p = network.getPositions([id])[id]; return p ? network.canvasToDOM(p) : null; }
  };
  updateBreadcrumb();
})();
