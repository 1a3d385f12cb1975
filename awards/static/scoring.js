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
  /* A submit while an autosave is in flight waits for it, so it carries the new version. */
  var form = document.getElementById("sheet-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      if (!document.querySelector("#save-status.htmx-request")) return;
      event.preventDefault();
      var submitter = event.submitter;
      document.addEventListener("htmx:afterRequest", function once() {
        document.removeEventListener("htmx:afterRequest", once);
        form.requestSubmit(submitter);
      });
    });
  }
  document.addEventListener("htmx:responseError", offline);
})();
