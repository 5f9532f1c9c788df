(function (page) {
  "use strict";
  // Injected by `sahelbrief serve` into HTML responses only; `build` output never contains it.
  var source = null;
  var retry = null;

  function connect() {
    if (source || document.hidden) return;
    source = new EventSource(page.events);
    source.onmessage = function (message) { apply(JSON.parse(message.data)); };
    source.onerror = function () {
      // EventSource retries by itself after a dropped connection, but gives up for good after
      // an HTTP error; try again later in that case (the server may be restarting).
      if (source && source.readyState === EventSource.CLOSED) {
        disconnect();
        retry = setTimeout(connect, 1000);
      }
    };
  }

  function disconnect() {
    clearTimeout(retry);
    if (source) source.close();
    source = null;
  }

  function apply(state) {
    if (state.id !== page.id || state.full > page.epoch) {
      disconnect();
      location.reload();
      return;
    }
    if (state.epoch > page.epoch) {
      page.epoch = state.epoch;
      swapStylesheets();
    }
    showErrors(state.errors);
  }

  function swapStylesheets() {
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelectorAll('link[rel="stylesheet"]');
        var current = document.querySelectorAll('link[rel="stylesheet"]');
        if (fresh.length !== current.length) { location.reload(); return; }
        current.forEach(function (link, i) {
          var href = fresh[i].getAttribute("href");
          if (href === link.getAttribute("href")) {
            href += (href.indexOf("?") < 0 ? "?" : "&") + "sahelbrief=" + page.epoch;
          }
          var next = link.cloneNode();
          next.href = href;
          next.onload = function () { link.remove(); };
          link.after(next);
        });
      })
      .catch(function () { location.reload(); });
  }

  function showErrors(errors) {
    var old = document.getElementById("sahelbrief-errors");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "sahelbrief-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;" +
      "overflow:auto;margin:0;padding:1em 1.5em;background:#3b0d0d;color:#fff;" +
      "font:14px/1.5 ui-monospace,monospace;border-top:4px solid #ff5c5c;text-align:left";
    var title = document.createElement("strong");
    title.textContent = "Build failed. This page shows the last good build.";
    box.appendChild(title);
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var where = error.path ? error.path + (error.line ? ":" + error.line : "") + ": " : "";
      item.textContent = where + error.message;
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect(); else connect();
  });
  connect();
})
