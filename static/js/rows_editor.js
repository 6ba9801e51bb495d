// Rows editors (templates/_macros/rows.html): «Add a row» clones a clean copy of a row with the
// next free index in its field names, «Remove» takes a row away (the last one is only emptied, so
// there is always a row to copy); the spare empty rows the page brings for browsers without
// JavaScript are taken away. Without this script the page still works: empty rows are skipped.
(function () {
  "use strict";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function clean(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = false;
      } else if (input.tagName === "SELECT") {
        input.selectedIndex = 0;
      } else {
        input.value = "";
        input.removeAttribute("value");
      }
      input.classList.remove("is-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (message) {
      message.remove();
    });
    return row;
  }

  function isBlank(row) {
    return Array.prototype.every.call(row.querySelectorAll("input, select, textarea"), function (input) {
      if (input.type === "hidden") {
        return true;
      }
      if (input.type === "checkbox" || input.type === "radio") {
        return !input.checked;
      }
      return input.tagName === "SELECT" ? input.selectedIndex <= 0 : !input.value.trim();
    });
  }

  function setUp(editor) {
    var prefix = editor.getAttribute("data-rows-editor");
    var body = editor.querySelector("[data-rows]");
    var first = body.querySelector("[data-row]");
    if (!first) {
      return;
    }
    editor.querySelectorAll("[data-row-add], [data-row-remove]").forEach(function (button) {
      button.hidden = false;
    });
    var pattern = new RegExp("^" + escapeRegExp(prefix) + "-(\\d+)-");
    var template = clean(first.cloneNode(true));
    // The empty rows offered to browsers without JavaScript: one is enough here («Add a row» adds more).
    body.querySelectorAll("[data-row]").forEach(function (row) {
      if (isBlank(row) && !row.querySelector(".is-invalid") && body.querySelectorAll("[data-row]").length > 1) {
        row.remove();
      }
    });

    function nextIndex() {
      var highest = -1;
      body.querySelectorAll("[name]").forEach(function (input) {
        var found = pattern.exec(input.getAttribute("name"));
        if (found) {
          highest = Math.max(highest, parseInt(found[1], 10));
        }
      });
      return highest + 1;
    }

    function renumber(row, index) {
      var replacement = prefix + "-" + index + "-";
      row.querySelectorAll("[name], [id], [for]").forEach(function (node) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) {
            node.setAttribute(attribute, value.replace(pattern, replacement));
          }
        });
      });
      return row;
    }

    editor.querySelector("[data-row-add]").addEventListener("click", function () {
      var row = renumber(template.cloneNode(true), nextIndex());
      body.appendChild(row);
      var input = row.querySelector("input:not([type=hidden]), select, textarea");
      if (input) {
        input.focus();
      }
    });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-row-remove]");
      if (!button) {
        return;
      }
      var row = button.closest("[data-row]");
      if (body.querySelectorAll("[data-row]").length > 1) {
        row.remove();
      } else {
        clean(row);
      }
    });
  }

  document.querySelectorAll("[data-rows-editor]").forEach(setUp);
})();
