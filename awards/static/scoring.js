/* Scoring desk, progressive enhancement only (the form works without it):
   - show htmx autosave answers 409/422 (htmx ignores error responses by default);
   - when the connection fails, say so: the input stays on the page, nothing is lost. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  function offline(event) {
    var target = document.getElementById("save-status");
    if (!target) return;
    target.classList.add("save-failed");
    target.textContent = target.getAttribute("data-offline") || "Not saved: no connection. Your input is kept; try again.";
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:responseError", offline);
})();
