/* Citation previews: hover, keyboard focus or tap on a citation number shows its full reference,
 * taken from the page's own References list (the element named by aria-describedby).
 * On touch screens the first tap previews and a second tap follows the link. Escape closes.
 * A tap on an abbreviation shows its meaning in the same box (a mouse gets the title tooltip;
 * keyboard users have the page's "Abbreviations on this page" list). */
(function () {
  "use strict";
  var preview = null;
  var current = null;

  function box() {
    if (!preview) {
      preview = document.createElement("div");
      preview.className = "cite-preview";
      preview.id = "cite-preview";
      preview.setAttribute("role", "tooltip");
      preview.hidden = true;
      document.body.appendChild(preview);
    }
    return preview;
  }

  function show(link, text) {
    var source = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!source && !text) return;
    var tip = box();
    tip.textContent = text || "[" + link.textContent + "] " + source.textContent;
    tip.hidden = false;
    var rect = link.getBoundingClientRect();
    var top = window.scrollY + rect.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + rect.left,
      window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    current = link;
  }

  function hide() {
    if (preview) preview.hidden = true;
    current = null;
  }


  function citation(target) {
    return target && target.closest ? target.closest("a.cite-link") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = citation(event.target);
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    if (citation(event.target) && !citation(event.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = citation(event.target);
    if (link) show(link); else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  var lastPointer = "mouse";
  var tapped = null;
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
  }, true);
  document.addEventListener("click", function (event) {
    var link = citation(event.target);
    var touch = lastPointer === "touch" || lastPointer === "pen";
    var abbr = event.target && event.target.closest ? event.target.closest("abbr[title]") : null;
    if (abbr && !link) {
      if (touch) show(abbr, abbr.textContent + ": " + abbr.getAttribute("title"));
      return;
    }
    if (link && touch && tapped !== link) {
      event.preventDefault();  // first tap previews; the second follows the link
      tapped = link;
      show(link);
    } else if (!link) {
      tapped = null;
      hide();
    }
  });
})();
