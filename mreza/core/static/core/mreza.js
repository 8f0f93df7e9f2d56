/* Mreža: small behaviours for every page. No inline scripts or on...= attributes are allowed
   (the Content-Security-Policy forbids them), so they live here.

   <select data-autosubmit> sends its form as soon as the choice changes (the language switch,
   the map's country). With data-autosubmit="keep-location" the form's "next" field is set to
   the address now in the bar first (htmx may have changed it since the page was rendered).
   Without JavaScript each form shows its own submit button inside <noscript>.

   A wide table scrolls sideways inside its .table-wrap; keyboard users must reach that scrolling
   too, so a wrap that overflows becomes a focusable, named region (named by its table's caption
   or its section's heading). Checked on load, after htmx swaps and when the window is resized. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || !select.matches || !select.matches("select[data-autosubmit]") || !select.form) return;
    var form = select.form;
    if (select.getAttribute("data-autosubmit") === "keep-location" && form.elements.next) {
      form.elements.next.value = location.pathname + location.search;
    }
    form.submit();
  });

  function regionName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = wrap.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function markScrollableTables(root) {
    var wraps = (root || document).querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var name = regionName(wrap);
        if (name) wrap.setAttribute("aria-label", name);
        wrap.setAttribute("data-scroll-region", "");
      } else if (!scrolls && wrap.hasAttribute("data-scroll-region")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        wrap.removeAttribute("data-scroll-region");
      }
    }
  }

  markScrollableTables(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    markScrollableTables(event.target);
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { markScrollableTables(document); }, 150);
  });
})();
