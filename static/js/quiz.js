// Quiz attempt page: a countdown to the server's deadline and autosave of every answer.
// No inline scripts (CSP): everything comes from data- attributes on the page.
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

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; save(); });
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
        if (status) { status.textContent = countdown.getAttribute("data-expired-message"); }
        window.setTimeout(function () { window.location = reviewUrl; }, 1500);
        return;
      }
      if (left > 0) { window.setTimeout(tick, 1000 - (Date.now() % 1000)); }
      if (left === 15 || left === 5) { dirty = true; save(); }
    };
    tick();
  }
})();
