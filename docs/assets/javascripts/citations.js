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

  function fill(tip, link, source) {
    // [n] reference text, then its design, year and DOI link from the page's References list.
    tip.textContent = "[" + link.textContent + "] " + source.textContent;
    var item = source.closest("li");
    if (!item) return;
    var facts = [item.getAttribute("data-design"), item.getAttribute("data-year")].filter(Boolean);
    var doi = item.querySelector("a.ref-doi");
    if (!facts.length && !doi) return;
    var line = document.createElement("span");
    line.className = "cite-preview__meta";
    line.textContent = facts.join(" · ");
    if (doi) {
      if (facts.length) line.appendChild(document.createTextNode(" · "));
      line.appendChild(doi.cloneNode(true));
    }
    tip.appendChild(line);
  }

  function show(link, text) {
    var source = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!source && !text) return;
    var tip = box();
    if (text) tip.textContent = text;
    else fill(tip, link, source);
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
  function inPreview(node) {
    return Boolean(preview && node && preview.contains(node));
  }

  document.addEventListener("mouseout", function (event) {
    // Moving from a marker into its preview (to reach the DOI link) keeps it open.
    if (citation(event.target) && !citation(event.relatedTarget) && !inPreview(event.relatedTarget)) hide();
    if (inPreview(event.target) && !inPreview(event.relatedTarget) && !citation(event.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = citation(event.target);
    if (link) show(link); else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  // After following a marker to the page's References list, "Back to text" returns to it.
  var cameFrom = null;
  function remember(link) {
    cameFrom = link;
    var item = document.getElementById((link.getAttribute("href") || "").slice(1));
    if (!item || item.querySelector(".ref-back")) return;
    var back = document.createElement("a");
    back.className = "ref-back";
    back.href = "#";
    back.textContent = "Back to text";
    back.addEventListener("click", function (event) {
      event.preventDefault();
      if (!cameFrom) return;
      cameFrom.scrollIntoView({ block: "center" });
      cameFrom.focus();
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(back);
  }

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
    } else if (!link && !inPreview(event.target)) {
      tapped = null;
      hide();
    }
    if (link && (!touch || tapped === link)) remember(link);
  });
})();
