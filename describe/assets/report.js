// The report's behaviour, in plain JavaScript with no network: selecting a
// state shows its ASL, diagrams fit or show full size, the template folds
// and searches. It marks the page ready when done, so that tests can tell
// a page whose script ran from one whose script failed.
(function () {
  "use strict";
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // State details: click a state to see its ASL definition.
  $all("section.machine").forEach(function (sec) {
    var data = {};
    var src = sec.querySelector("script.states");
    if (src) { data = JSON.parse(src.textContent); }
    var panel = sec.querySelector(".panel");
    var title = panel.querySelector("h4");
    var body = panel.querySelector("pre");
    var hint = panel.querySelector(".hint");
    $all(".node[data-state]", sec).forEach(function (n) {
      n.addEventListener("click", function (ev) {
        ev.stopPropagation();
        $all(".node.selected", sec).forEach(function (m) { m.classList.remove("selected"); });
        n.classList.add("selected");
        var name = n.getAttribute("data-state");
        title.textContent = name;
        body.textContent = data[name] || "";
        body.hidden = false;
        hint.hidden = true;
      });
    });
  });

  // Fit a diagram to the page width, or show it at full size.
  $all("button.fit").forEach(function (b) {
    b.addEventListener("click", function () {
      var d = document.getElementById(b.getAttribute("data-target"));
      d.classList.toggle("fit");
      b.textContent = d.classList.contains("fit") ? "Full size" : "Fit to width";
    });
  });

  // The template: expand, collapse and search.
  var tree = document.querySelector(".jtree");
  if (tree) {
    var folds = $all("details", tree);
    document.getElementById("expand-all").addEventListener("click", function () { folds.forEach(function (d) { d.open = true; }); });
    document.getElementById("collapse-all").addEventListener("click", function () {
      folds.forEach(function (d, i) { d.open = i === 0; });
    });
    var input = document.getElementById("search");
    var count = document.getElementById("search-count");
    var lines = $all(".jl, summary", tree);
    var hits = [], current = -1, timer = null;
    function show(i) {
      if (!hits.length) { return; }
      if (current >= 0) { hits[current].classList.remove("current"); }
      current = (i + hits.length) % hits.length;
      var h = hits[current];
      h.classList.add("current");
      h.scrollIntoView({ block: "center" });
      count.textContent = (current + 1) + " of " + hits.length;
    }
    function search() {
      hits.forEach(function (h) { h.classList.remove("hit", "current"); });
      hits = []; current = -1;
      var q = input.value.trim().toLowerCase();
      if (q.length < 2) { count.textContent = ""; return; }
      lines.forEach(function (l) {
        var text = l.tagName === "SUMMARY" ? l.firstChild && l.textContent : l.textContent;
        if (text && text.toLowerCase().indexOf(q) >= 0) {
          hits.push(l);
          l.classList.add("hit");
          for (var p = l.parentElement; p && p !== tree; p = p.parentElement) {
            if (p.tagName === "DETAILS") { p.open = true; }
          }
        }
      });
      count.textContent = hits.length ? hits.length + " matches" : "no match";
      if (hits.length) { show(0); }
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); show(current + (ev.shiftKey ? -1 : 1)); }
    });
  }

  document.documentElement.setAttribute("data-report-ready", "1");
})();
