// Live reload for `explainer serve`; the preview puts it into every HTML
// page it serves (never into the built files). It listens to
// /__explainer/events and
// - reloads the page when a rebuild changed the file it shows,
// - swaps stylesheets when only stylesheets changed,
// - shows or removes the error overlay when a rebuild fails or recovers,
// - reloads when it missed a rebuild (it connected late, the server was
//   restarted), which the generation it was served at tells;
// - asks again later when the server refuses the channel (too many open).
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var served = script ? script.getAttribute("data-file") : null;
  var overlayId = "__explainer-overlay";

  // "/articles/a/" -> "articles/a/index.html", as the server names files.
  function fileOf(pathname) {
    var path = pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch (e) {}
    path = path.replace(/^\/+/, "");
    if (path === "" || path.charAt(path.length - 1) === "/") path += "index.html";
    return path;
  }
  var here = fileOf(location.pathname);

  function swapStyles(changed) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || changed.indexOf(fileOf(url.pathname)) < 0) return;
      url.searchParams.set("explainer-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () {
        link.remove();
      };
      link.after(fresh);
    });
  }

  function setOverlay(html) {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
    if (!html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html; // built by the server, every diagnostic escaped
    if (holder.firstElementChild) document.body.appendChild(holder.firstElementChild);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-explainer-close]")) {
      var overlay = document.getElementById(overlayId);
      if (overlay) overlay.remove();
    }
  });

  // The browser reconnects by itself when the stream drops; it gives up
  // on an answer other than 200 (the server has as many channels open as
  // it allows: 503), so then this asks again after a while.
  function connect() {
    var source = new EventSource("/__explainer/events");
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 10000);
    };
    source.addEventListener("hello", function (event) {
      var data = JSON.parse(event.data);
      if (generation !== null && data.generation !== generation) location.reload();
    });
    source.addEventListener("reload", function (event) {
      var data = JSON.parse(event.data);
      generation = data.generation;
      var changed = data.changed;
      if (changed.indexOf(here) >= 0 || (served && changed.indexOf(served) >= 0)) {
        location.reload();
        return;
      }
      var styles = changed.filter(function (path) {
        return /\.css$/i.test(path);
      });
      if (styles.length) swapStyles(styles);
    });
    source.addEventListener("overlay", function (event) {
      var data = JSON.parse(event.data);
      generation = data.generation;
      setOverlay(data.html);
    });
  }
  connect();
})();
