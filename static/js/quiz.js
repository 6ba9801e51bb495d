// Quiz pages. The attempt: a countdown to the server's deadline, autosave of every answer, the
// navigation squares (answered, flagged, current) and flags saved with the attempt. The question
// picker (the quiz room's and the course's quiz item form): a live count of the ticked questions and
// their marks, whatever the form calls its field of ticked ids, and Enter that does what it says.
// No inline scripts (CSP): everything comes from data- attributes on the page.
(function () {
  "use strict";
  var picker = document.querySelector("[data-quiz-picker]");
  if (!picker) { return; }
  var counter = picker.querySelector("[data-picker-count]");
  var lang = document.documentElement.lang || "ru";
  function recount() {
    var count = 0, marks = 0;
    picker.querySelectorAll("input[data-mark]").forEach(function (box) {
      if (box.type === "hidden" || box.checked) {
        count += 1;
        marks += parseFloat(box.getAttribute("data-mark") || "0") || 0;
      }
    });
    var shown = marks.toLocaleString(lang, {maximumFractionDigits: 2});
    counter.textContent = counter.getAttribute("data-template").replace("{count}", count).replace("{marks}", shown);
  }
  picker.addEventListener("change", recount);
  // Enter in the picker's search box finds; Enter in one of the form's other fields saves, as in any
  // form (the browser's default button would be «Найти», the first in the form: without JS the form
  // is only shown again, with nothing lost).
  var form = picker.closest("form");
  var find = picker.querySelector("button[name=filter]");
  if (!form || !find) { return; }
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || /^(checkbox|radio|submit|button|file)$/.test(target.type)) {
      return;
    }
    var save = picker.contains(target) ? find : form.querySelector("button[type=submit]:not([formnovalidate])");
    if (save) {
      event.preventDefault();
      save.click();
    }
  });
})();

(function () {
  "use strict";
  var form = document.getElementById("quiz-attempt-form");
  if (!form) { return; }
  var status = document.getElementById("quiz-save-status");
  var countdown = document.getElementById("quiz-countdown");
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var reviewUrl = form.getAttribute("data-review-url");
  var dirty = false;
  var saving = false;
  var finished = false;

  function say(kind) {
    if (status) { status.textContent = status.getAttribute("data-" + kind) || ""; }
  }

  function payload() {
    return new FormData(form);
  }

  function save() {
    if (!dirty || saving || finished) { return Promise.resolve(); }
    saving = true;
    dirty = false;
    say("saving");
    return fetch(autosaveUrl, {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: {"X-CSRFToken": form.querySelector("input[name=csrf_token]").value, "Accept": "application/json"}
    }).then(function (response) {
      saving = false;
      if (response.ok) { say("saved"); return; }
      if (response.status === 409) {
        finished = true;
        return response.json().then(function (body) {
          if (status) { status.textContent = body.error.message; }
          window.setTimeout(function () { window.location = reviewUrl; }, 2500);
        });
      }
      if (response.status === 422) {
        return response.json().then(function (body) { if (status) { status.textContent = body.error.message; } });
      }
      dirty = true;
      say("failed");
    }).catch(function () {
      saving = false;
      dirty = true;
      say("failed");
    });
  }

  // The navigation squares: answered follows the controls, flagged the flag buttons, current the
  // question on screen.
  function square(slot) { return document.querySelector("[data-nav-slot='" + slot + "']"); }
  function markAnswered(section) {
    var answered = false;
    section.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (control.type === "radio" || control.type === "checkbox") { answered = answered || control.checked; }
      else if (control.type !== "hidden" && control.type !== "submit") { answered = answered || control.value.trim() !== ""; }
    });
    var target = square(section.getAttribute("data-slot"));
    if (target) { target.classList.toggle("is-answered", answered); }
  }
  function touched(event) {
    var section = event.target.closest ? event.target.closest("[data-slot]") : null;
    if (section) { markAnswered(section); }
  }
  var flagUrl = form.getAttribute("data-flag-url");
  form.querySelectorAll("[data-flag-slot]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var slot = button.getAttribute("data-flag-slot");
      fetch(flagUrl.replace(/\/0$/, "/" + slot), {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": form.querySelector("input[name=csrf_token]").value, "Accept": "application/json"}
      }).then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { if (status) { status.textContent = body.error.message; } return; }
          var on = body.flagged;
          button.setAttribute("aria-pressed", on ? "true" : "false");
          button.querySelector("[data-flag-text]").textContent = button.getAttribute(on ? "data-label-on" : "data-label-off");
          document.getElementById("slot-" + slot).classList.toggle("is-flagged", on);
          var target = square(slot);
          if (target) { target.classList.toggle("is-flagged", on); }
        });
      }).catch(function () { say("failed"); });
    });
  });
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        document.querySelectorAll(".quiz-square[aria-current]").forEach(function (s) { s.removeAttribute("aria-current"); });
        var target = square(entry.target.getAttribute("data-slot"));
        if (target) { target.setAttribute("aria-current", "step"); }
      });
    }, {rootMargin: "-40% 0px -55% 0px"});
    form.querySelectorAll("section[data-slot]").forEach(function (section) { observer.observe(section); });
  }

  form.addEventListener("input", function (event) { dirty = true; touched(event); });
  form.addEventListener("change", function (event) { dirty = true; touched(event); save(); });
  window.setInterval(save, 5000);

  // Leaving the page (navigation, closing the tab): send what is unsaved with a beacon.
  function flush() {
    if (dirty && !finished && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(autosaveUrl, payload());
    }
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "finish") {
      var question = submitter.getAttribute("data-confirm-finish");
      if (question && !window.confirm(question)) { event.preventDefault(); return; }
    }
    finished = true;  // the form itself carries the answers now
  });

  if (countdown) {
    var deadline = Date.parse(countdown.getAttribute("data-deadline"));
    var value = countdown.querySelector("[data-countdown-value]");
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var hours = Math.floor(left / 3600);
      var minutes = Math.floor((left % 3600) / 60);
      var seconds = left % 60;
      var text = (hours ? hours + ":" : "") + (hours && minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      value.textContent = text;
      countdown.classList.toggle("text-bg-danger", left <= 60);
      countdown.classList.toggle("text-bg-secondary", left > 60);
      if (left <= 0 && !finished) {
        finished = true;
        var timeUp = document.getElementById("quiz-time-up");
        if (timeUp) { timeUp.hidden = false; }
        if (status) { status.textContent = countdown.getAttribute("data-expired-message"); }
        window.setTimeout(function () { window.location = reviewUrl; }, 2500);
        return;
      }
      if (left > 0) { window.setTimeout(tick, 1000 - (Date.now() % 1000)); }
      if (left === 15 || left === 5) { dirty = true; save(); }
    };
    tick();
  }
})();
