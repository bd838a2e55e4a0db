/* The "who knows whom" view: drawn from the data render/knowing.py prepared (forums where the map puts them, a line
   per chair who lists another meeting); this script only draws it, opens and closes it, and fills the details panel.
   Every piece of text is written with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("knowing-data").textContent);
  var map = window.mcnMap;
  var section = document.getElementById("knowing-view");
  var button = document.getElementById("knowing-toggle");
  var container = document.getElementById("knowing-network");
  var details = document.getElementById("details-panel");
  var network = null, open = false;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function list(heading, names, empty) {
    details.appendChild(el("h2", heading + " (" + names.length + ")"));
    if (!names.length) { details.appendChild(el("p", empty, "empty")); return; }
    var ul = el("ul", null, "knowing-list");
    names.forEach(function (n) { ul.appendChild(el("li", n)); });
    details.appendChild(ul);
  }
  function showForum(id) {
    var d = data.details[id];
    if (!d) return;
    while (details.firstChild) details.removeChild(details.firstChild);
    document.getElementById("tab-details").click();
    details.appendChild(el("h3", d.name));
    var dl = el("dl");
    dl.appendChild(el("dt", "Form returned")); dl.appendChild(el("dd", d.replied));
    if (d.unlisted) { dl.appendChild(el("dt", "Listed by")); dl.appendChild(el("dd", "no other chair")); }
    details.appendChild(dl);
    list("Both chairs list each other", d.both, "None.");
    if (d.replied === "yes") {
      list("Its chair lists; not listed back", d.lists, "None.");
      list("Its chair lists; their chair did not reply", d.unanswered, "None.");
    } else {
      details.appendChild(el("p", "Its chair did not return a form: what they know is not known.", "empty"));
    }
    list("Listed (one way) by the chair of", d.listed_by, "None.");
  }
  function draw() {
    network = new vis.Network(container, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, {
      autoResize: true, physics: { enabled: false }, layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 120, keyboard: { enabled: false } },
      edges: { selectionWidth: 1.5, hoverWidth: 1 }, nodes: { shapeProperties: { interpolation: false } }
    });
    network.on("click", function (params) { if (params.nodes.length) showForum(params.nodes[0]); });
    network.once("afterDrawing", function () { section.setAttribute("data-drawn", "true"); });
  }
  function show(on) {
    on = on === undefined ? !open : !!on;
    open = on;
    if (on && map.view() === "table") map.showTable(false);
    section.hidden = !on;
    document.body.classList.toggle("knowing-open", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      if (!network) draw();
      setTimeout(function () { network.redraw(); network.fit({ animation: false }); }, 0);
      container.focus();
    }
  }
  button.addEventListener("click", function () { show(); });
  document.getElementById("table-toggle").addEventListener("click", function () { if (open) show(false); });
  document.getElementById("knowing-close").addEventListener("click", function () { show(false); button.focus(); });
  document.getElementById("knowing-table-link").addEventListener("click", function () {
    show(false);
    map.showTable(true);
    var title = document.getElementById("knowing-table-title");
    title.scrollIntoView();
    title.focus();
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "k" || event.key === "K") { show(); event.preventDefault(); }
    else if (event.key === "Escape" && open) { show(false); button.focus(); }
    else if ((event.key === "t" || event.key === "T") && open) show(false);  // the map's own handler opens the table
  });
  // The same facts in the Explore tree, under each forum, for keyboard and screen reader users.
  function exploreGroup(id) {
    var d = data.details[id];
    if (!d) return null;
    var kinds = [["Both chairs list each other", d.both]];
    if (d.replied === "yes") kinds.push(["Its chair lists; not listed back", d.lists],
                                        ["Its chair lists; their chair did not reply", d.unanswered]);
    kinds.push(["Listed (one way) by the chair of", d.listed_by]);
    var items = kinds.map(function (k) {
      return { text: k[0], counts: String(k[1].length), children: k[1].length ? function () {
        return k[1].map(function (name) { return { text: name }; });
      } : null };
    });
    if (d.replied !== "yes") items.splice(1, 0, { text: "Its chair did not return a form: what they know is not known" });
    return { text: "Who knows whom (mapping round)", counts: "form returned: " + d.replied +
      (d.unlisted ? "; no other chair lists it" : ""), children: function () { return items; } };
  }
  map.addExploreGroup(exploreGroup);
  map.knowing = { show: show, isOpen: function () { return open; }, network: function () { return network; },
    showForum: showForum };
})();
