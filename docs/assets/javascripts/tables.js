/* Wide tables on narrow screens: when a table is wider than its box, say so above it and keep
 * its first column in view (CSS), so "Main result" is one swipe away, not off screen unseen. */
(function () {
  "use strict";

  function mark(wrap) {
    var wide = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-wide", wide);
    var hint = wrap.previousElementSibling;
    var hasHint = hint && hint.classList.contains("table-hint");
    if (wide && !hasHint) {
      hint = document.createElement("p");
      hint.className = "table-hint";
      hint.textContent = "Swipe the table sideways to see every column →";
      wrap.parentNode.insertBefore(hint, wrap);
    } else if (!wide && hasHint) {
      hint.remove();
    }
  }

  function markAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), mark);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markAll, 150);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markAll);
  else markAll();
})();
