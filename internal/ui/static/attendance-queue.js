// Keeps the trainer's marks when the connection drops: each learner's form is sent in the
// background; a mark that cannot leave is kept in this browser (localStorage), shown as not
// yet saved, and sent again when the connection returns or the page is opened again. The
// texts come from the page (data-* attributes of #queue-status), so they stay in the
// catalogue. Without JavaScript the forms post as usual. A form with a file goes the usual
// way: files are not kept offline.
(function () {
  "use strict";
  var status = document.getElementById("queue-status");
  if (!status || !window.fetch || !window.localStorage || !window.URLSearchParams) { return; }
  var storeKey = "parcours-attendance-queue";

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save(queue) { localStorage.setItem(storeKey, JSON.stringify(queue)); }

  function formFor(key) { return document.querySelector('form[data-queue="' + key + '"]'); }
  function stateOf(form) {
    var line = form && form.closest(".sheet-line");
    return line ? { line: line, state: line.querySelector("[data-state]") } : null;
  }
  function show(form, text, queued) {
    var s = stateOf(form);
    if (!s) { return; }
    s.line.classList.toggle("queued", queued);
    if (s.state) { s.state.textContent = text; }
  }

  function refresh() {
    var n = Object.keys(load()).length;
    status.hidden = n === 0;
    status.textContent = n === 0 ? "" : (n === 1 ? status.dataset.pendingOne : status.dataset.pendingOther.replace("%d", n));
  }

  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var queue = load();
    var keys = Object.keys(queue);
    if (keys.length === 0) { refresh(); return; }
    flushing = true;
    var pending = keys.length;
    keys.forEach(function (key) {
      var item = queue[key];
      fetch(item.action, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-Parcours-Queue": "1", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(item.fields).toString()
      }).then(function (res) {
        var q = load();
        if (res.status === 204) {
          delete q[key];
          show(formFor(key), status.dataset.saved + " " + item.label, false);
        } else if (res.status === 409 || res.status === 422 || res.status === 403) {
          delete q[key];
          return res.text().then(function (text) { save(q); show(formFor(key), text, false); });
        }
        save(q);
      }).catch(function () { /* still offline: kept for the next try */ })
        .then(function () {
          pending -= 1;
          if (pending === 0) { flushing = false; refresh(); }
        });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-queue]")) { return; }
    var file = form.querySelector('input[type="file"]');
    if (file && file.files && file.files.length > 0) { return; }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { fields.push([name, value]); }
    });
    var checked = form.querySelector('input[name="status"]:checked');
    var label = checked && checked.labels && checked.labels[0] ? checked.labels[0].textContent.trim() : "";
    var queue = load();
    queue[form.dataset.queue] = { action: form.action, fields: fields, label: label };
    save(queue);
    show(form, status.dataset.waiting + " " + label, true);
    var details = form.closest("details");
    if (details) { details.open = false; }
    refresh();
    flush();
  });

  Object.keys(load()).forEach(function (key) {
    var form = formFor(key);
    if (form) { show(form, status.dataset.waiting + " " + load()[key].label, true); }
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);
  refresh();
  flush();
})();
