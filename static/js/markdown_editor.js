// The Markdown editor on every <textarea data-markdown> (app.forms_common.MarkdownField): formatting
// buttons above the field and a «Просмотр» tab rendered by the server (app/markdown_preview.py, the
// same Markdown function and sanitiser as the saved text).
//
// The buttons are the vendored @github/markdown-toolbar-element (static/vendor/markdown-toolbar-element):
// they edit the page's own textarea in place and fire "input", so the form, autosave and anything
// reading the field's value see every change at once — there is no hidden copy to write back on
// submit. Without JavaScript the textarea is left as it is and still works. Words come from the page
// (the JSON data-config of this script's tag, templates/_markdown_editor.html, translated by gettext); the CSP forbids inline
// scripts, and nothing here is fetched from outside the site.
const configElement = document.getElementById("markdown-editor");
const fields = document.querySelectorAll("textarea[data-markdown]");

const ICONS = {
  heading: '<path d="M2 2h2v5h8V2h2v12h-2V9H4v5H2z"/>',
  "unordered-list":
    '<path d="M1 2.5h3v3H1zM6 3.25h9v1.5H6zM1 7h3v3H1zM6 7.75h9v1.5H6zM1 11.5h3v3H1zM6 12.25h9v1.5H6z"/>',
  "ordered-list":
    '<path d="M2 1.5h1.5v5H2V3H1V2zM1 9.2c.2-.9.9-1.4 1.7-1.4.9 0 1.6.6 1.6 1.4 0 .6-.3 1-.8 1.4l-.9.8h1.7v1.1H1v-1' +
    'l1.6-1.5c.3-.3.4-.5.4-.7 0-.3-.2-.4-.4-.4-.3 0-.5.2-.5.5zM6 3.25h9v1.5H6zM6 9.25h9v1.5H6z"/>',
  quote: '<path d="M2 4h5v4.5L5 13H3l1.6-4.5H2zM9 4h5v4.5L12 13h-2l1.6-4.5H9z"/>',
  link:
    '<path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" ' +
    'd="M6.5 9.5l3-3M7.5 4.5l1-1a2.83 2.83 0 0 1 4 4l-1 1M8.5 11.5l-1 1a2.83 2.83 0 0 1-4-4l1-1"/>',
};

// [markdown-toolbar style, label key, visible text (when no icon), extra class]
const BUTTONS = [
  ["bold", "bold", "label_bold", "md-bold"],
  ["italic", "italic", "label_italic", "md-italic"],
  ["header-3", "heading", null, ""],
  ["unordered-list", "unordered_list", null, ""],
  ["ordered-list", "ordered_list", null, ""],
  ["quote", "quote", null, ""],
  ["link", "link", null, ""],
];
const ICON_FOR = {
  "header-3": "heading",
  "unordered-list": "unordered-list",
  "ordered-list": "ordered-list",
  quote: "quote",
  link: "link",
};
const SHORTCUTS = { KeyB: "bold", KeyI: "italic" };

function element(tag, className, attributes) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  Object.entries(attributes || {}).forEach(([name, value]) => made.setAttribute(name, value));
  return made;
}

function toolbarButton(style, title, text, extraClass) {
  const button = element("button", `btn btn-sm btn-outline-secondary md-button ${extraClass}`.trim(), {
    type: "button",
    "data-md-button": style,
    title: title, // the icon buttons' accessible name; «Ж» and «К» keep their letter and describe it
  });
  const icon = ICON_FOR[style];
  if (icon) {
    button.innerHTML = `<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" fill="currentColor">${ICONS[icon]}</svg>`;
  } else {
    button.textContent = text;
  }
  return button;
}

function csrfToken(field, config) {
  const input = field.form && field.form.querySelector("input[name=csrf_token]");
  return (input && input.value) || config.csrf || "";
}

function enhance(field, index, config) {
  if (field.dataset.markdownReady) return;
  field.dataset.markdownReady = "1";
  if (!field.id) field.id = `markdown-field-${index}`;
  const words = config.words;

  const bar = element("div", "md-editor-bar");
  // Titles rather than aria-labels: an aria-label holding «Текст» would make the bar answer to the
  // field's own label (getByLabel, and a screen reader's "go to the field labelled …").
  const toolbar = element("markdown-toolbar", "md-toolbar", {
    for: field.id,
    title: words.toolbar,
    "aria-controls": field.id,
  });
  const byStyle = {};
  BUTTONS.forEach(([style, key, textKey, extraClass]) => {
    const button = toolbarButton(style, words[key], textKey ? words[textKey] : "", extraClass);
    byStyle[style] = button;
    toolbar.append(button);
  });
  bar.append(toolbar);

  const preview = element("div", "md-preview markdown", {
    "aria-live": "polite",
    id: `${field.id}-preview`,
    tabindex: "-1",
  });
  preview.hidden = true;

  const modes = element("div", "md-modes", { role: "group", title: words.modes });
  const writeTab = element("button", "btn btn-sm md-mode active", { type: "button", "aria-pressed": "true" });
  writeTab.textContent = words.write;
  const previewTab = element("button", "btn btn-sm md-mode", { type: "button", "aria-pressed": "false" });
  previewTab.textContent = words.preview;
  const format = element("span", "md-format small text-muted", { title: words.format_hint });
  format.textContent = words.format;
  modes.append(format);
  if (config.preview) modes.append(writeTab, previewTab);
  bar.append(modes);

  field.classList.add("md-field");
  field.parentNode.insertBefore(bar, field);
  field.after(preview);

  let asked = 0; // the latest request wins when «Просмотр» is pressed twice quickly

  function showWriting() {
    preview.hidden = true;
    field.hidden = false;
    writeTab.classList.add("active");
    writeTab.setAttribute("aria-pressed", "true");
    previewTab.classList.remove("active");
    previewTab.setAttribute("aria-pressed", "false");
    toolbar.querySelectorAll("button").forEach((button) => (button.disabled = false));
  }

  function showMessage(text, className) {
    preview.replaceChildren(element("p", className));
    preview.firstChild.textContent = text;
  }

  function showPreview() {
    preview.style.minHeight = `${Math.max(field.offsetHeight, 96)}px`;
    field.hidden = true;
    preview.hidden = false;
    previewTab.classList.add("active");
    previewTab.setAttribute("aria-pressed", "true");
    writeTab.classList.remove("active");
    writeTab.setAttribute("aria-pressed", "false");
    toolbar.querySelectorAll("button").forEach((button) => (button.disabled = true));
    if (!field.value.trim()) {
      showMessage(words.empty, "text-muted mb-0");
      return;
    }
    showMessage(words.loading, "text-muted mb-0");
    const request = ++asked;
    const body = new FormData();
    body.append("text", field.value);
    fetch(config.preview, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(field, config), Accept: "application/json" },
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({}))
          .then((data) => ({ ok: response.ok, data: data })),
      )
      .then(({ ok, data }) => {
        if (request !== asked || preview.hidden) return;
        if (ok && typeof data.html === "string") {
          // The server's sanitiser (app.markdown) has already made this HTML safe to show.
          preview.innerHTML = data.html || "";
          preview.dataset.rendered = "1";
        } else {
          showMessage((data.error && data.error.message) || words.failed, "text-danger mb-0");
        }
      })
      .catch(() => {
        if (request === asked && !preview.hidden) showMessage(words.failed, "text-danger mb-0");
      });
  }

  writeTab.addEventListener("click", () => {
    showWriting();
    field.focus();
  });
  previewTab.addEventListener("click", showPreview);
  // A required field left empty must be visible for the browser to point at it.
  field.addEventListener("invalid", showWriting);
  field.addEventListener("keydown", (event) => {
    const style = SHORTCUTS[event.code];
    if (style && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      byStyle[style].click();
    }
  });
}

// Fields added later (a rows editor's new row, say) get the editor too.
function watchForNewFields(config) {
  let counter = fields.length;
  new MutationObserver((changes) => {
    changes.forEach((change) =>
      change.addedNodes.forEach((node) => {
        if (!(node instanceof Element)) return;
        const found = node.matches("textarea[data-markdown]")
          ? [node]
          : node.querySelectorAll("textarea[data-markdown]:not([data-markdown-ready])");
        found.forEach((field) => enhance(field, counter++, config));
      }),
    );
  }).observe(document.body, { childList: true, subtree: true });
}

if (configElement && (fields.length || document.querySelector("[data-rows-editor]"))) {
  const config = JSON.parse(configElement.dataset.config);
  import(config.toolbar).then(() => {
    fields.forEach((field, index) => enhance(field, index, config));
    watchForNewFields(config);
    document.documentElement.dataset.markdownEditor = "ready";
  });
}
