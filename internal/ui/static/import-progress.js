// Follows an import while it runs, without reloading the page: every two seconds, fetch the
// same page and swap in its #import-status region (a polite live region, so screen readers
// hear the progress without starting over). Without JavaScript, the "Actualiser" button does
// the same by hand. Stops when the import has ended or after ten minutes.
(function () {
  "use strict";
  var region = document.getElementById("import-status");
  if (!region || !window.fetch || !window.DOMParser) { return; }
  var started = Date.now();
  function poll() {
    if (!document.querySelector("#import-status[data-running]")) { return; }
    if (Date.now() - started > 10 * 60 * 1000) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html) {
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("import-status");
          if (next) {
            var current = document.getElementById("import-status");
            current.replaceWith(document.importNode(next, true));
          }
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
