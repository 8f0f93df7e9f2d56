/* Mreža: small behaviours for every page. No inline scripts or on...= attributes are allowed
   (the Content-Security-Policy forbids them), so they live here.

   <select data-autosubmit> sends its form as soon as the choice changes (the language switch,
   the map's country). With data-autosubmit="keep-location" the form's "next" field is set to
   the address now in the bar first (htmx may have changed it since the page was rendered).
   Without JavaScript each form shows its own submit button inside <noscript>. */
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
})();
