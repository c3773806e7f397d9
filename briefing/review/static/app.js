// briefing review: the keyboard, edit mode and the term dialog. No inline script (the
// page's Content-Security-Policy allows none); htmx does the requests.
(function () {
  "use strict";
  var currentId = null;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("article.para")); }
  function current() { return currentId ? document.getElementById(currentId) : null; }

  function select(row, scroll) {
    if (!row) { return; }
    rows().forEach(function (r) { r.classList.remove("current"); });
    row.classList.add("current");
    currentId = row.id;
    if (scroll !== false) { row.scrollIntoView({ block: "center" }); }
    if (!row.contains(document.activeElement)) { row.focus({ preventScroll: true }); }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(current());
    var next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    select(all[next]);
  }

  function needsLook(row) {
    var state = row.querySelector(".state");
    if (!state) { return false; }
    var status = state.getAttribute("data-status");
    return state.getAttribute("data-flagged") === "1" || (status !== "" && status !== "edited" && status !== "approved");
  }

  function nextToLook() {
    var all = rows();
    var at = all.indexOf(current());
    for (var k = 1; k <= all.length; k++) {
      var row = all[(at + k + all.length) % all.length];
      if (needsLook(row)) { select(row); return; }
    }
  }

  function edit(row) {
    if (!row) { return; }
    var area = row.querySelector("textarea.en-edit");
    var view = row.querySelector(".en-view");
    area.hidden = false;
    view.hidden = true;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  function doneEditing(area) {
    var row = area.closest("article.para");
    area.blur();  // sends the last change (hx-trigger "blur changed")
    area.hidden = true;
    row.querySelector(".en-view").hidden = false;
    select(row, false);
  }

  function openTerm(row) {
    var dialog = document.getElementById("term-dialog");
    var selected = (window.getSelection() || "").toString().trim();
    var zh = row ? row.querySelector(".zh") : null;
    var selection = window.getSelection();
    if (zh && selection && selection.rangeCount && !zh.contains(selection.anchorNode)) { selected = ""; }
    document.getElementById("term-zh").value = selected;
    document.getElementById("term-en").value = "";
    dialog.showModal();
    document.getElementById(selected ? "term-en" : "term-zh").focus();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("textarea.en-edit") && event.key === "Escape") {
      event.preventDefault();
      doneEditing(target);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && target.closest && target.closest("input, textarea, select, dialog, [contenteditable]")) { return; }
    var row = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "n": nextToLook(); break;
      case "e": if (!row) { move(0); row = current(); } edit(row); break;
      case "a": if (row) { row.querySelector('button[data-action="approve"]').click(); } break;
      case "t": openTerm(row); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-action]");
    var row = event.target.closest && event.target.closest("article.para");
    if (row && !event.target.closest("a")) { select(row, false); }
    if (!button) {
      var link = event.target.closest && event.target.closest("a.goto");
      if (link) { select(document.querySelector(link.getAttribute("href"))); }
      return;
    }
    if (button.dataset.action === "edit") { edit(row); }
    if (button.dataset.action === "term") { openTerm(row); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("term-cancel").addEventListener("click", function () {
      document.getElementById("term-dialog").close();
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.target.id === "term-form" && event.detail.successful) {
        document.getElementById("term-dialog").close();
      }
    });
    if (location.hash) { select(document.getElementById(location.hash.slice(1))); }
  });

  // After a swap the row is a new element (htmx:load fires on it): keep it the current one.
  document.addEventListener("htmx:load", function () {
    var row = current();
    if (row) { row.classList.add("current"); }
  });
})();

document.addEventListener("htmx:beforeRequest", function (event) {
  "use strict";
  var area = event.target;
  if (area.matches && area.matches("textarea.en-edit")) {
    area.parentNode.querySelector(".saved").textContent = "saving…";
  }
});
