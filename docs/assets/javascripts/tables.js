/* Wide tables on narrow screens: when a table is wider than its box, say so above it and keep
 * its first column in view (CSS), so "Main result" is one swipe away, not off screen unseen. */
(function () {
  "use strict";

  function mark(wraps) {
    // All reads first, then all writes: one layout per batch, not one per table.
    var wide = wraps.map(function (wrap) { return wrap.scrollWidth > wrap.clientWidth + 1; });
    wraps.forEach(function (wrap, i) {
      wrap.classList.toggle("is-wide", wide[i]);
      var hint = wrap.previousElementSibling;
      var hasHint = hint && hint.classList.contains("table-hint");
      if (wide[i] && !hasHint) {
        hint = document.createElement("p");
        hint.className = "table-hint";
        hint.textContent = "Swipe the table sideways to see every column →";
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!wide[i] && hasHint) {
        hint.remove();
      }
    });
  }

  function all() {
    return Array.prototype.slice.call(document.querySelectorAll(".md-typeset__scrollwrap"));
  }

  // Tables are measured as they come near the screen, so a long page (the print guide) pays
  // nothing up front for tables far below.
  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    mark(entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; }));
  }, { rootMargin: "400px 0px" }) : null;

  function start() {
    if (watcher) all().forEach(function (wrap) { watcher.observe(wrap); });
    else mark(all());
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { mark(all().filter(function (w) {
      var box = w.getBoundingClientRect();
      return box.bottom > -400 && box.top < window.innerHeight + 400;
    })); }, 150);
  });
  // Material wraps each table in its scroll box on DOMContentLoaded and then announces the page
  // on its document$; this script is deferred, so it runs before that event: it waits for it.
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
