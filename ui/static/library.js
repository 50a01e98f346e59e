// reportqa Library view: the remove and retry buttons in the list and the queue (HTML rendered by the
// server) hand their target to the server through a hidden box, as citation chips do.
(function () {
  if (window.__reportqaLibraryInstalled) return;
  window.__reportqaLibraryInstalled = true;

  function send(payload) {
    var root = document.getElementById("rq-lib-action");
    var box = root && (root.tagName === "TEXTAREA" || root.tagName === "INPUT" ? root : root.querySelector("textarea, input"));
    var go = document.getElementById("rq-lib-action-go");
    if (!box || !go) return;
    payload.t = Date.now();
    box.value = JSON.stringify(payload);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(function () {
      (go.tagName === "BUTTON" ? go : go.querySelector("button") || go).click();
    }, 30);
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var remove = t.closest(".rq-lib-remove");
    if (remove) {
      ev.preventDefault();
      var row = remove.closest("tr");
      send({ op: "remove", doc: remove.getAttribute("data-doc") || (row && row.getAttribute("data-doc")) || "" });
      return;
    }
    var retry = t.closest(".rq-lib-retry");
    if (retry) {
      ev.preventDefault();
      var job = retry.closest(".rq-lib-job");
      send({ op: "retry", job: retry.getAttribute("data-job") || (job && job.getAttribute("data-job")) || "" });
    }
  }, true);
})();
