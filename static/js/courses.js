// Courses: a gradebook cell saves when the tutor leaves it changed. Each row has one form (the cells
// join it with form="…"); without JS, Enter sends the whole row and the server saves what differs.
// Here only the changed cell is sent: the row's other cells are disabled just before submitting.
(function () {
  "use strict";
  function isCell(element) {
    return element.classList && element.classList.contains("grade-cell");
  }
  function save(input) {
    var form = input.form;
    if (!form || form.dataset.sending) {
      return;
    }
    form.dataset.sending = "1";
    Array.prototype.forEach.call(form.elements, function (other) {
      if (other !== input && isCell(other)) {
        other.disabled = true;
      }
    });
    form.submit();
  }
  document.querySelectorAll("#gradebook input.grade-cell").forEach(function (input) {
    input.dataset.initial = input.value;
    input.addEventListener("change", function () {
      if (input.value !== input.dataset.initial) {
        save(input);
      }
    });
  });
  // Enter in a cell: send that cell alone (or nothing more when its change already went).
  document.querySelectorAll("#gradebook form.override-row").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var changed = Array.prototype.filter.call(form.elements, function (element) {
        return isCell(element) && element.value !== element.dataset.initial;
      });
      if (changed.length) {
        save(changed[0]);
      }
    });
  });
})();

// The course form: the enrolment key is asked for only when the course is joined with a key (the
// field stays in the form, and the server still checks it; without JS it is always shown).
(function () {
  "use strict";
  var mode = document.querySelector("[data-course-form] select[name=enrolment_mode]");
  var key = document.querySelector("[data-course-form] input[name=enrolment_key]");
  if (!mode || !key) {
    return;
  }
  var row = key.closest(".mb-3") || key;
  function toggle() {
    row.hidden = mode.value !== "key";
  }
  mode.addEventListener("change", toggle);
  toggle();
})();
