/* Mreža map: progressive enhancement for <svg class="mreza-map"> from mreza/maps/svg.py.
 * Zoom (buttons, wheel, +/- keys), pan (drag, arrow keys), constant-size points and an
 * optional XYZ tile layer when the server set data-tile-url. No libraries, no globals
 * except window.mrezaMap.init(root) for maps inserted after load. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var MAX_ZOOM = 16;

  function enhance(svg) {
    if (svg.dataset.enhanced) return;
    svg.dataset.enhanced = "1";
    var vb = svg.viewBox.baseVal;
    var W = vb.width, H = vb.height;
    var view = { x: 0, y: 0, w: W, h: H };
    var circles = Array.prototype.map.call(svg.querySelectorAll(".mreza-point circle"), function (c) {
      return [c, parseFloat(c.getAttribute("r"))];
    });
    var frame = svg.parentNode;
    if (!frame.classList || !frame.classList.contains("mreza-map-frame")) {
      frame = document.createElement("div");
      frame.className = "mreza-map-frame";
      svg.parentNode.insertBefore(frame, svg);
      frame.appendChild(svg);
    }
    svg.classList.add("is-enhanced");
    if (!svg.hasAttribute("tabindex")) svg.setAttribute("tabindex", "0");

    /* ---- buttons: labels come translated from the server ---- */
    var bar = document.createElement("div");
    bar.className = "mreza-map-controls";
    [["zoomIn", "+", function () { zoomBy(2); }],
     ["zoomOut", "\u2212", function () { zoomBy(0.5); }],
     ["reset", "\u27f2", function () { set(0, 0, W); }]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b[1];
      var label = svg.dataset["label" + b[0].charAt(0).toUpperCase() + b[0].slice(1)] || b[0];
      btn.setAttribute("aria-label", label);
      btn.title = label;
      btn.addEventListener("click", b[2]);
      bar.appendChild(btn);
    });
    frame.appendChild(bar);

    /* ---- view state: always inside the original viewBox, zoom 1..MAX_ZOOM ---- */
    var pending = false;
    function set(x, y, w) {
      w = Math.min(W, Math.max(W / MAX_ZOOM, w));
      var h = w * H / W;
      view = { x: Math.min(W - w, Math.max(0, x)), y: Math.min(H - h, Math.max(0, y)), w: w, h: h };
      if (!pending) { pending = true; requestAnimationFrame(draw); }
    }
    function draw() {
      pending = false;
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      var k = W / view.w;
      for (var i = 0; i < circles.length; i++) circles[i][0].setAttribute("r", circles[i][1] / k);
      if (tiles) tiles();
    }
    function zoomBy(f, cx, cy) {  /* cx, cy: fixed point in viewBox units */
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      var w = Math.min(W, Math.max(W / MAX_ZOOM, view.w / f)), r = w / view.w;
      set(cx - (cx - view.x) * r, cy - (cy - view.y) * r, w);
    }
    function toView(ev) {  /* client px -> viewBox units (preserveAspectRatio meet, centred) */
      var b = svg.getBoundingClientRect(), s = Math.min(b.width / view.w, b.height / view.h);
      return [view.x + (ev.clientX - b.left - (b.width - view.w * s) / 2) / s,
              view.y + (ev.clientY - b.top - (b.height - view.h * s) / 2) / s, s];
    }

    /* ---- wheel, drag, keys ---- */
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = toView(ev);
      zoomBy(Math.pow(2, -ev.deltaY * (ev.deltaMode ? 33 : 1) / 500), p[0], p[1]);
    }, { passive: false });

    var drag = null, suppressClick = false;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || ev.pointerType === "touch") return;
      drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false, id: ev.pointerId };
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag || ev.pointerId !== drag.id) return;
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 16) return;
      if (!drag.moved) { drag.moved = true; svg.setPointerCapture(ev.pointerId); svg.classList.add("is-dragging"); }
      var s = toView(ev)[2];
      set(drag.vx - dx / s, drag.vy - dy / s, view.w);
    });
    function endDrag() {
      if (drag && drag.moved) { suppressClick = true; setTimeout(function () { suppressClick = false; }, 0); }
      drag = null;
      svg.classList.remove("is-dragging");
    }
    svg.addEventListener("dragstart", function (ev) { ev.preventDefault(); });
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
    svg.addEventListener("click", function (ev) {
      if (suppressClick) { ev.preventDefault(); ev.stopPropagation(); }
    }, true);

    svg.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var step = view.w * 0.15, handled = true;
      switch (ev.key) {
        case "ArrowLeft": set(view.x - step, view.y, view.w); break;
        case "ArrowRight": set(view.x + step, view.y, view.w); break;
        case "ArrowUp": set(view.x, view.y - step, view.w); break;
        case "ArrowDown": set(view.x, view.y + step, view.w); break;
        case "+": case "=": zoomBy(2); break;
        case "-": case "_": zoomBy(0.5); break;
        case "0": set(0, 0, W); break;
        default: handled = false;
      }
      if (handled) ev.preventDefault();
    });

    svg.addEventListener("focusin", function (ev) {  /* keep the focused point in view */
      var c = ev.target.querySelector && ev.target.querySelector("circle");
      if (!c) return;
      var x = +c.getAttribute("cx"), y = +c.getAttribute("cy");
      if (x < view.x || x > view.x + view.w || y < view.y || y > view.y + view.h) {
        set(x - view.w / 2, y - view.h / 2, view.w);
      }
    });

    /* ---- optional XYZ tiles (only when the server asked for them) ---- */
    var tiles = null, url = svg.dataset.tileUrl;
    if (url) {
      var scale = parseFloat(svg.dataset.scale), ox = parseFloat(svg.dataset.originX),
          oy = parseFloat(svg.dataset.originY), maxZ = parseInt(svg.dataset.tileMaxZoom || "18", 10);
      var layer = svg.querySelector(".mreza-map-tiles");
      if (!layer) {
        layer = document.createElementNS(NS, "g");
        layer.setAttribute("class", "mreza-map-tiles");
        svg.insertBefore(layer, svg.querySelector(".mreza-map-countries"));
      }
      svg.classList.add("has-tiles");
      var shown = {};
      tiles = function () {
        var b = svg.getBoundingClientRect();
        var px = scale * (b.width / view.w) * Math.min(window.devicePixelRatio || 1, 2);
        var z = Math.max(0, Math.min(maxZ, Math.round(Math.log(px / 256) / Math.LN2)));
        var n = Math.pow(2, z), size = scale / n, want = {};
        var x0 = Math.floor((ox + view.x / scale) * n), x1 = Math.floor((ox + (view.x + view.w) / scale) * n);
        var y0 = Math.max(0, Math.floor((oy + view.y / scale) * n));
        var y1 = Math.min(n - 1, Math.floor((oy + (view.y + view.h) / scale) * n));
        for (var tx = x0; tx <= x1; tx++) {
          for (var ty = y0; ty <= y1; ty++) {
            var key = z + "/" + tx + "/" + ty;
            want[key] = true;
            if (shown[key]) continue;
            var img = document.createElementNS(NS, "image"), wx = ((tx % n) + n) % n;
            img.setAttribute("href", url.replace("{z}", z).replace("{x}", wx).replace("{y}", ty).replace("{s}", "a"));
            img.setAttribute("x", (tx / n - ox) * scale);
            img.setAttribute("y", (ty / n - oy) * scale);
            img.setAttribute("width", size * 1.004);
            img.setAttribute("height", size * 1.004);
            img.setAttribute("preserveAspectRatio", "none");
            layer.appendChild(img);
            shown[key] = img;
          }
        }
        for (key in shown) {
          if (!want[key]) { layer.removeChild(shown[key]); delete shown[key]; }
        }
      };
      if (svg.dataset.tileAttribution) {
        var att = document.createElement("div");
        att.className = "mreza-map-attribution";
        att.textContent = svg.dataset.tileAttribution;
        frame.appendChild(att);
      }
      window.addEventListener("resize", function () { set(view.x, view.y, view.w); });
    }
    draw();
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("svg.mreza-map"), enhance);
  }
  window.mrezaMap = { init: init };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
})();
