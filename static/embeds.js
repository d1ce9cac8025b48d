// Click-to-load embeds. The page carries only a placeholder (the
// provider's name and a link); nothing is requested from the provider
// until the reader presses the button, which this script shows and which
// replaces the placeholder's button with the provider's frame. Without
// JavaScript the link remains.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".embed[data-embed-frame]");
  Array.prototype.forEach.call(boxes, function (box) {
    var consent = box.querySelector(".embed-consent");
    var button = box.querySelector(".embed-load");
    var src = box.getAttribute("data-embed-frame") || "";
    // Only web addresses: the attribute comes from the page, but a frame
    // must never run a script URL.
    if (!consent || !button || !/^https?:\/\//i.test(src)) {
      return;
    }
    consent.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = box.getAttribute("data-embed-title") || "";
      frame.className = "embed-iframe";
      frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      box.classList.add("embed-loaded");
      consent.replaceWith(frame);
      frame.focus();
    });
  });
})();
