/* The public answer page (no inline scripts: the Content-Security-Policy forbids them).

   "Show if": an element with data-show-if="<field name>" data-show-if-any="<option codes>" is
   shown only while one of those options is chosen in that field (and the field itself is shown).
   Hidden questions are disabled, so their answers are not sent; without JavaScript every
   question is shown and the server drops the answers of hidden ones.

   "Clear my answer": a radio question that is not required gets a button that unticks it. */
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) return;
  var dependents = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));

  // the options chosen in field `name`, or null when the form has no such field (the server
  // then shows the question too)
  function chosen(name) {
    var values = [];
    var found = false;
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name !== name) return;
      found = true;
      if (input.checked && !input.disabled) values.push(input.value);
    });
    return found ? values : null;
  }

  function update() {
    // until nothing changes: a question may depend on one that depends on another (bounded)
    var changed = true;
    for (var pass = 0; changed && pass <= dependents.length; pass += 1) {
      changed = false;
      dependents.forEach(function (element) {
        var wanted = (element.getAttribute("data-show-if-any") || "").split(" ");
        var values = chosen(element.getAttribute("data-show-if"));
        var shown = values === null || values.some(function (value) {
          return wanted.indexOf(value) !== -1;
        });
        if (element.hidden === shown) changed = true;
        element.hidden = !shown;
        Array.prototype.forEach.call(element.querySelectorAll("input, textarea, select"), function (input) {
          input.disabled = !shown;
        });
      });
    }
  }

  form.addEventListener("change", update);
  update();

  Array.prototype.forEach.call(form.querySelectorAll("[data-clear]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var question = document.getElementById(button.getAttribute("data-clear"));
      Array.prototype.forEach.call(question.querySelectorAll("input[type=radio]"), function (input) {
        input.checked = false;
      });
      update();
    });
  });
})();
