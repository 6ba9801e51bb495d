// Jury scoring form: shows the weighted total as the juror types (the server recomputes it exactly).
(function () {
  "use strict";
  var form = document.querySelector("[data-jury-score-form]");
  if (!form) {
    return;
  }
  var output = form.querySelector("[data-jury-total]");
  var incomplete = form.querySelector("[data-jury-incomplete]");
  var inputs = form.querySelectorAll("input[data-weight]");
  // The page's language writes the number («17», «4,67»): the same rounding as the server's pages.
  var format = new Intl.NumberFormat(document.documentElement.lang || "ru", { maximumFractionDigits: 2 });

  function parse(value) {
    var text = String(value || "").trim().replace(",", ".");
    if (text === "" || !/^-?\d+(\.\d+)?$/.test(text)) {
      return null;
    }
    return parseFloat(text);
  }

  function update() {
    var total = 0;
    var complete = true;
    inputs.forEach(function (input) {
      var points = parse(input.value);
      var max = parseFloat(input.getAttribute("data-max"));
      var bad = points !== null && (points < 0 || points > max);
      input.classList.toggle("is-invalid", bad);
      if (points === null || bad) {
        complete = false;
        return;
      }
      total += points * parseFloat(input.getAttribute("data-weight"));
    });
    if (output) {
      output.textContent = format.format(Math.round(total * 100) / 100);
    }
    if (incomplete) {
      incomplete.hidden = complete;
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  update();
})();
