// The stage form (templates/contests/stage_form.html): only the parts the chosen kind uses are
// shown. Each part names its kinds in data-kinds; without this script every part shows and the
// server reads only those the kind uses.
(function () {
  "use strict";
  var form = document.querySelector("[data-stage-form]");
  if (!form) {
    return;
  }
  var chooser = form.querySelector("[data-stage-kind]");
  if (!chooser) {
    return;
  }

  function show() {
    var kind = chooser.value;
    form.querySelectorAll("[data-kinds]").forEach(function (part) {
      part.hidden = part.getAttribute("data-kinds").split(" ").indexOf(kind) === -1;
    });
    var advanced = form.querySelector("#stage-advanced");
    if (advanced) {
      var visible = Array.prototype.some.call(advanced.querySelectorAll("[data-kinds]"), function (part) {
        return !part.hidden;
      });
      advanced.hidden = !visible;
    }
  }

  chooser.addEventListener("change", show);
  show();
})();
