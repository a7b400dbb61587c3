// Editing widgets shared by the run and experiment pages, as MLflow's UI offers them: a name edited in
// place, a markdown description with Write / Preview, a tags table (add, edit, delete) and a small
// prompt dialog. Each save goes to the server through the page's callback; a refusal shows the server's
// message and keeps what the user typed.
import { errorBox, h, mount, valueText } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

/** Runs `save()`; on failure shows its message in `slot` and returns false. */
async function attempt(slot, save, testid) {
  mount(slot);
  try {
    await save();
    return true;
  } catch (error) {
    mount(slot, errorBox(error.message ?? String(error), testid));
    return false;
  }
}

/**
 * The refusal of a value longer than `maxChars` characters (counted as MLflow's Python does, by code
 * point), else undefined. The server cuts a long run tag to its limit without a word: the UI says so
 * before sending, so an edit never loses its end silently.
 * @example tooLong("é".repeat(9000), 8000, "A run's description") // "A run's description holds at most …"
 */
export function tooLong(text, maxChars, what) {
  const n = maxChars === undefined ? 0 : [...text].length;
  if (n <= (maxChars ?? 0)) return undefined;
  return `${what} holds at most ${maxChars} characters; this one has ${n}. Shorten it (or attach the text as an artifact).`;
}

/**
 * Whether `el` holds an edit in progress: an open editor (a textarea), a text field with something typed
 * in it, or the focus. A page refreshing itself must not redraw such a part: the draft would be lost.
 * Search boxes (type=search) are filters, not edits.
 * @example if (!isEditing(pane)) redraw(pane);
 */
export function isEditing(el) {
  if (el.contains(document.activeElement) && document.activeElement?.matches("input, textarea")) return true;
  return [...el.querySelectorAll("textarea, input[type=text]")].some((f) =>
    f.tagName === "TEXTAREA" || f.value
  );
}

/**
 * What the page of a deleted run or experiment says in place of the edits the server refuses: that it is
 * deleted, and how to restore it (`how`: text or nodes; `command`: the CLI's way).
 */
export function deletedNotice(what, how, command) {
  return h(
    "p",
    { class: "deleted-notice", testid: `${what}-deleted-notice`, role: "note" },
    `This ${what} is deleted, so it cannot be renamed, described or tagged. Restore it `,
    how,
    " or with ",
    h("code", {}, command),
    ` to change it; \`kmlf gc\` removes deleted ${what}s for good.`,
  );
}

/**
 * A heading that turns into an input on "Rename": Enter or Save calls `onSave(newName)` (an empty name
 * is refused here), Escape or Cancel goes back. `readOnly` (a deleted run or experiment, which the server
 * refuses to change) shows the heading alone.
 */
export function editableTitle(
  { text, onSave, testid = "title", tag = "h1", label = "Rename", readOnly = false },
) {
  const el = h("div", { class: "editable-title" });
  const errors = h("div");
  const view = () => {
    mount(
      el,
      h(tag, { testid }, text),
      readOnly
        ? null
        : h("button", { class: "small", testid: `${testid}-edit`, onclick: edit, title: label }, label),
      errors,
    );
  };
  const edit = () => {
    const input = h("input", { type: "text", value: text, class: "search", testid: `${testid}-input` });
    const save = async () => {
      const name = input.value.trim();
      if (name === text) return view();
      if (!name) return void mount(errors, errorBox("The name cannot be empty", `${testid}-error`));
      if (await attempt(errors, () => onSave(name), `${testid}-error`)) {
        text = name;
        view();
      }
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void save();
      if (e.key === "Escape") view();
    });
    mount(
      el,
      input,
      h("button", { testid: `${testid}-save`, onclick: save }, "Save"),
      h("button", { testid: `${testid}-cancel`, onclick: view }, "Cancel"),
      errors,
    );
    input.select();
  };
  view();
  return el;
}

/**
 * A markdown description: rendered, with "Edit" (or "Add a description") opening a textarea with
 * Write / Preview tabs; Save calls `onSave(text)` (empty text clears it). A text over `maxChars`
 * characters is refused before the server (which would cut it). `readOnly` shows the text without "Edit".
 */
export function descriptionEditor({ value, onSave, testid = "description", maxChars, readOnly = false }) {
  const el = h("section", { class: "description", testid });
  const errors = h("div");
  const view = () => {
    mount(
      el,
      h(
        "div",
        { class: "section-head" },
        h("h2", {}, "Description"),
        readOnly ? null : h(
          "button",
          { class: "small", testid: `${testid}-edit`, onclick: edit },
          value ? "Edit" : "Add a description",
        ),
      ),
      value ? renderMarkdown(value, `${testid}-text`) : h("p", { class: "muted" }, "No description."),
    );
  };
  const edit = () => {
    const area = h("textarea", { class: "editor", rows: 8, testid: `${testid}-input` });
    area.value = value ?? "";
    const preview = h("div", { class: "editor-preview", hidden: true, testid: `${testid}-preview` });
    const tabs = h(
      "div",
      { class: "toggle" },
      h("button", {
        class: "small active",
        testid: `${testid}-write`,
        onclick: (e) => show(false, e.target),
      }, "Write"),
      h(
        "button",
        { class: "small", testid: `${testid}-preview-tab`, onclick: (e) => show(true, e.target) },
        "Preview",
      ),
    );
    const show = (previewing, button) => {
      for (const b of tabs.children) b.classList.toggle("active", b === button);
      area.hidden = previewing;
      preview.hidden = !previewing;
      if (previewing) mount(preview, renderMarkdown(area.value, `${testid}-preview-text`));
    };
    const save = async () => {
      const text = area.value;
      const refusal = tooLong(text, maxChars, "A description");
      if (refusal) return void mount(errors, errorBox(refusal, `${testid}-error`));
      if (await attempt(errors, () => onSave(text), `${testid}-error`)) {
        value = text;
        view();
      }
    };
    mount(
      el,
      h("div", { class: "section-head" }, h("h2", {}, "Description"), tabs),
      area,
      preview,
      h(
        "div",
        { class: "toolbar" },
        h("button", { testid: `${testid}-save`, onclick: save }, "Save"),
        h("button", { testid: `${testid}-cancel`, onclick: view }, "Cancel"),
        h(
          "span",
          { class: "muted" },
          "Markdown: # headings, **bold**, *italic*, `code`, [links](https://…), lists",
        ),
      ),
      errors,
    );
    area.focus();
  };
  view();
  return el;
}

/**
 * The tags of a run or experiment (the mlflow.* system tags excluded): a table with Edit and Delete on
 * each row and a form to add one. `onSet(key, value)` and `onDelete(key)` talk to the server; on success
 * the table shows the new state. A value over `maxChars` characters is refused before the server.
 * `readOnly` lists the tags without Edit, Delete or the form.
 */
export function tagEditor({ tags, onSet, onDelete, testid = "tags", maxChars, readOnly = false }) {
  let list = [...tags].filter((t) => !t.key.startsWith("mlflow.")).sort((a, b) => a.key.localeCompare(b.key));
  const el = h("div", { class: "tag-editor" });
  const errors = h("div");
  let editing;
  const keyInput = h("input", { type: "text", placeholder: "Key", class: "search short", testid: "tag-key" });
  const valueInput = h("input", { type: "text", placeholder: "Value", class: "search", testid: "tag-value" });
  const add = async (event) => {
    event?.preventDefault();
    const key = keyInput.value.trim();
    if (!key) return void mount(errors, errorBox("A tag needs a key", "tag-error"));
    if (key.startsWith("mlflow.")) {
      return void mount(
        errors,
        errorBox(`"${key}": keys starting with mlflow. are MLflow's own`, "tag-error"),
      );
    }
    const refusal = tooLong(valueInput.value, maxChars, `The value of tag "${key}"`);
    if (refusal) return void mount(errors, errorBox(refusal, "tag-error"));
    if (await attempt(errors, () => onSet(key, valueInput.value), "tag-error")) {
      list = [...list.filter((t) => t.key !== key), { key, value: valueInput.value }].sort((a, b) =>
        a.key.localeCompare(b.key)
      );
      keyInput.value = valueInput.value = "";
      render();
    }
  };
  const row = (t) => {
    if (editing === t.key) {
      // A one-line input would drop a multi-line value's line breaks on Save: such values get a textarea.
      const multiLine = /[\r\n]/.test(t.value);
      const input = multiLine
        ? h("textarea", {
          class: "search",
          testid: "tag-edit-value",
          rows: Math.min(10, t.value.split("\n").length),
        })
        : h("input", { type: "text", class: "search", testid: "tag-edit-value" });
      input.value = t.value;
      const cancel = () => ((editing = undefined), render());
      const save = async () => {
        const refusal = tooLong(input.value, maxChars, `The value of tag "${t.key}"`);
        if (refusal) return void mount(errors, errorBox(refusal, "tag-error"));
        if (await attempt(errors, () => onSet(t.key, input.value), "tag-error")) {
          t.value = input.value;
          editing = undefined;
          render();
        }
      };
      // Enter saves (Ctrl/Cmd+Enter in a textarea, where Enter starts a new line); Escape cancels.
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (!multiLine || e.ctrlKey || e.metaKey)) void save();
        if (e.key === "Escape") cancel();
      });
      return h(
        "tr",
        { testid: "tag-row", dataset: { key: t.key } },
        h("td", {}, t.key),
        h("td", {}, input),
        h(
          "td",
          {},
          h("button", { class: "small", testid: "tag-save", onclick: save }, "Save"),
          h("button", { class: "small", onclick: cancel }, "Cancel"),
        ),
      );
    }
    return h(
      "tr",
      { testid: "tag-row", dataset: { key: t.key } },
      h("td", {}, t.key),
      h("td", {}, valueText(t.value, "tag-row-value")),
      readOnly ? h("td") : h(
        "td",
        {},
        h(
          "button",
          { class: "small", testid: "tag-edit", onclick: () => ((editing = t.key), render()) },
          "Edit",
        ),
        h("button", {
          class: "small",
          testid: "tag-delete",
          onclick: async () => {
            if (!confirm(`Delete tag "${t.key}"?`)) return;
            if (await attempt(errors, () => onDelete(t.key), "tag-error")) {
              list = list.filter((x) => x.key !== t.key);
              render();
            }
          },
        }, "Delete"),
      ),
    );
  };
  const form = h(
    "form",
    { class: "toolbar", testid: "tag-add-form" },
    keyInput,
    valueInput,
    h("button", { type: "submit", testid: "tag-add" }, "Add tag"),
  );
  form.addEventListener("submit", add);
  const render = () => {
    mount(
      el,
      h(
        "table",
        { class: "grid-table kv", testid },
        h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Value"), h("th", {}, ""))),
        h("tbody", {}, list.map(row)),
      ),
      readOnly ? null : form,
      errors,
    );
  };
  render();
  return el;
}

/**
 * A modal form: `fields` [{name, label, control}] (inputs or selects); resolves to {name: value} on OK,
 * or undefined when cancelled.
 */
export function formDialog({ title, fields, okText = "Save", testid = "dialog" }) {
  return new Promise((resolve) => {
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", {}, title),
      fields.map((f) => h("label", { class: "setting" }, h("span", {}, f.label), f.control)),
      h(
        "div",
        { class: "toolbar" },
        h("button", { value: "ok", testid: `${testid}-ok` }, okText),
        h("button", {
          value: "cancel",
          type: "button",
          testid: `${testid}-cancel`,
          onclick: () => dialog.close("cancel"),
        }, "Cancel"),
      ),
    );
    const dialog = h("dialog", { class: "dialog", testid }, form);
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(
        dialog.returnValue === "ok"
          ? Object.fromEntries(fields.map((f) => [f.name, f.control.value.trim()]))
          : undefined,
      );
    });
    document.body.append(dialog);
    dialog.showModal();
    fields[0]?.control.focus();
  });
}

/** A modal asking for one line of text; resolves to the trimmed text, or undefined when cancelled. */
export async function promptDialog({ title, label, value = "", okText = "Save", testid = "prompt" }) {
  const control = h("input", { type: "text", value, class: "search", testid: `${testid}-input` });
  queueMicrotask(() => control.select());
  const answer = await formDialog({ title, fields: [{ name: "text", label, control }], okText, testid });
  return answer?.text;
}
