/* Entrant pages, progressive enhancement only (every page works without it):
   the "N of M characters" line under a text field counts while the user types. */
(function () {
  "use strict";
  function update(field, counter) {
    var length = Array.from(field.value).length; // code points, as the server counts
    counter.textContent = counter.textContent.replace(/^\d+/, String(length));
  }
  document.querySelectorAll("p.counter[data-counts]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counts"));
    if (!field) return;
    field.addEventListener("input", function () { update(field, counter); });
    update(field, counter);
  });
})();
