// Keeps the signing screen current without reloading the page: every 20 seconds, fetch the
// same page and swap in its QR code and its count of signatures (a polite live region, so
// screen readers hear the count, not the code). Without JavaScript, the "Nouveau QR code"
// link does the same by hand.
(function () {
  "use strict";
  if (!document.getElementById("signing-live") || !window.fetch || !window.DOMParser) { return; }
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html) {
          var next = new DOMParser().parseFromString(html, "text/html");
          ["signing-qr", "signing-live"].forEach(function (id) {
            var fresh = next.getElementById(id), current = document.getElementById(id);
            if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
          });
        }
        window.setTimeout(refresh, 20000);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  window.setTimeout(refresh, 20000);
})();
