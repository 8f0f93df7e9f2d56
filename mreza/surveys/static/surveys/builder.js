/* The survey builder: copy the public link, ask before deleting, and in the item form show only
   the answers of the question chosen in "show only if". No inline scripts (CSP). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      field.select();
      document.execCommand("copy");
      done();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function filterShowIf() {
    var select = document.querySelector("select[name=show_if_item]");
    if (!select) return;
    var chosen = select.value;
    document.querySelectorAll("input[name=show_if_options]").forEach(function (box) {
      var mine = chosen && box.value.indexOf(chosen + ":") === 0;
      var item = box.closest("li") || box.parentNode;
      item.hidden = !mine;
      if (!mine) box.checked = false;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=show_if_item]")) filterShowIf();
  });
  document.addEventListener("DOMContentLoaded", filterShowIf);
})();
