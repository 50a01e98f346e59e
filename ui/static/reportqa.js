// reportqa web chat: citation chips open the report view; copy-citation buttons copy the label.
// Delegated listeners on the document, so chat messages re-rendered by Gradio keep working.
(function () {
  if (window.__reportqaInstalled) return;
  window.__reportqaInstalled = true;

  function field(id) {
    var root = document.getElementById(id);
    if (!root) return null;
    if (root.tagName === "TEXTAREA" || root.tagName === "INPUT") return root;
    return root.querySelector("textarea, input");
  }

  function scroller(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      var oy = getComputedStyle(p).overflowY;
      if ((oy === "auto" || oy === "scroll") && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  }

  // Scroll el's own scroll box so el sits at `where` (0 = top, 0.5 = centre) of the part of the box that is on
  // screen; the window itself scrolls only when the box is off screen (phone layout: the report panel is below
  // the chat). At desktop width the chat beside the panel never moves.
  function reveal(el, where) {
    var box = scroller(el);
    if (box) {
      var b = box.getBoundingClientRect();
      var top = Math.max(b.top, 0), bottom = Math.min(b.bottom, window.innerHeight);
      if (bottom - top > 40) {
        var r = el.getBoundingClientRect();
        var slack = Math.max(0, (bottom - top - r.height) * where);
        box.scrollTop += (r.top - top) - slack;
        return;
      }
    }
    var rr = el.getBoundingClientRect();
    if (rr.top < 0 || rr.bottom > window.innerHeight) {
      el.scrollIntoView({ block: where >= 0.5 ? "center" : "start", inline: "nearest", behavior: "auto" });
    }
  }

  // After an answer arrives: show the start of the newest reply, not the end of its last passage.
  window.rqShowLatest = function () {
    [120, 400, 900].forEach(function (ms) {
      setTimeout(function () {
        // Put the newest question at the top of the chat box, its answer right below it.
        var all = document.querySelectorAll("#rq-chat .rq-question");
        if (!all.length) all = document.querySelectorAll("#rq-chat .rq-answer");
        if (all.length) {
          var last = all[all.length - 1];
          var box = scroller(last);
          if (box) {
            var b = box.getBoundingClientRect(), r = last.getBoundingClientRect();
            box.scrollTop += (r.top - b.top) - 24;
          }
        }
      }, ms);
    });
  };

  function waitAndScroll(targetId, tries) {
    var el = document.getElementById(targetId);
    if (el && el.classList.contains("rq-cited")) {
      reveal(el, 0.35);
      el.classList.remove("rq-flash");
      void el.offsetWidth;
      el.classList.add("rq-flash");
      return;
    }
    if (tries > 0) setTimeout(function () { waitAndScroll(targetId, tries - 1); }, 50);
  }

  function jump(chip) {
    var box = field("rq-jump");
    var go = document.getElementById("rq-jump-go");
    // Gradio's sanitizer drops data-* attributes from chat messages: the href carries the anchor id.
    var href = chip.getAttribute("href") || "";
    var target = chip.getAttribute("data-target") || (href.charAt(0) === "#" ? href.slice(1) : "");
    if (!box || !go) {
      var el = target && document.getElementById(target);
      if (el) el.scrollIntoView({ block: "center" });
      return;
    }
    box.value = JSON.stringify({ target: target, t: Date.now() });
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(function () {
      (go.tagName === "BUTTON" ? go : go.querySelector("button") || go).click();
      if (target) waitAndScroll(target, 200);
    }, 30);
  }

  function copyText(text, button) {
    function done(ok) {
      var old = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", old);
      button.textContent = ok ? "✓ 已复制" : "✗ 复制失败";
      setTimeout(function () { button.textContent = old; }, 1500);
    }
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  // The citation label is the chip's text without its "[n] " prefix.
  function chipLabel(button) {
    var row = button.closest(".rq-chip-row");
    var chip = row && row.querySelector(".rq-cite");
    return chip ? chip.textContent.replace(/^\[\d+\]\s*/, "") : "";
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var copy = t.closest(".rq-copy");
    if (copy) {
      ev.preventDefault();
      ev.stopPropagation();
      copyText(copy.getAttribute("data-copy") || chipLabel(copy), copy);
      return;
    }
    var chip = t.closest(".rq-cite");
    if (chip) {
      ev.preventDefault();
      ev.stopPropagation();
      jump(chip);
    }
  }, true);
})();
