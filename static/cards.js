// Hover cards: an actor or explainer link in the text shows a small card
// (name and role, or title and summary) while it is hovered or focused.
// The data is the page's own <script type="application/json"
// id="xref-cards">, written by the build: no request per hover, and it
// works opened from disk. Without this script the links are plain links.
// WCAG 1.4.13: the card sits below (or above) the link without covering
// it, can itself be hovered, and Escape dismisses it.
(function () {
  "use strict";
  var source = document.getElementById("xref-cards");
  if (!source) return;
  var cards;
  try {
    cards = JSON.parse(source.textContent);
  } catch (e) {
    return;
  }
  var GAP = 6;
  var card = document.createElement("div");
  card.id = "xref-card";
  card.className = "xref-card";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  var current = null;
  var timer = 0;

  // Links inside listing cards already show the name and role beside them.
  function linkOf(node) {
    var a = node && node.closest ? node.closest("a[data-xref]") : null;
    if (!a || a.closest(".card") || !cards[a.getAttribute("data-xref")]) return null;
    return a;
  }

  function fill(info) {
    card.textContent = "";
    var title = document.createElement("strong");
    title.className = "xref-card-title";
    title.textContent = info.name || info.title || "";
    card.appendChild(title);
    var text = info.role || info.summary;
    if (text) {
      var p = document.createElement("span");
      p.className = "xref-card-text";
      p.textContent = text;
      card.appendChild(p);
    }
  }

  // Below the link's last line, or above its first when there is no room
  // below; never over the link itself.
  function place(link) {
    var rects = link.getClientRects();
    if (!rects.length) return;
    var first = rects[0];
    var last = rects[rects.length - 1];
    var width = document.documentElement.clientWidth;
    // Where left: 0 and top: 0 put it, whatever its containing block.
    card.style.left = "0px";
    card.style.top = "0px";
    var origin = card.getBoundingClientRect();
    // Aligned with the start of the link: its right edge in a
    // right-to-left page.
    var start = getComputedStyle(link).direction === "rtl" ? first.right - origin.width : first.left;
    var left = Math.max(GAP, Math.min(start, width - origin.width - GAP));
    var top = last.bottom + GAP;
    if (top + origin.height > window.innerHeight && first.top - GAP - origin.height >= 0) {
      top = first.top - GAP - origin.height;
    }
    card.style.left = left - origin.left + "px";
    card.style.top = top - origin.top + "px";
  }

  function show(link) {
    clearTimeout(timer);
    if (current === link && !card.hidden) return;
    if (current) current.removeAttribute("aria-describedby");
    current = link;
    fill(cards[link.getAttribute("data-xref")]);
    // Inside the link's landmark, so all content stays in landmarks.
    var landmark = link.closest("main, aside, header, footer, nav") || document.body;
    if (card.parentNode !== landmark) landmark.appendChild(card);
    card.hidden = false;
    link.setAttribute("aria-describedby", card.id);
    place(link);
  }

  function hide() {
    clearTimeout(timer);
    card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  // A short delay lets the pointer cross from the link to the card.
  function hideSoon() {
    clearTimeout(timer);
    timer = setTimeout(hide, 200);
  }

  document.addEventListener("mouseover", function (e) {
    var link = linkOf(e.target);
    if (link) show(link);
    else if (card.contains(e.target)) clearTimeout(timer);
  });
  document.addEventListener("mouseout", function (e) {
    if (!current) return;
    var to = e.relatedTarget;
    if (to && (current.contains(to) || card.contains(to))) return;
    if (linkOf(e.target) === current || card.contains(e.target)) hideSoon();
  });
  document.addEventListener("focusin", function (e) {
    var link = linkOf(e.target);
    if (link) show(link);
    else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (current && e.target === current) hide();
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && !card.hidden) hide();
  });
  window.addEventListener("resize", hide);
})();
