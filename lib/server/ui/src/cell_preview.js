// The runs table's preview pane: a click on a cell shows its column and whole value beside the table
// (JSON pretty-printed), for values too long for a cell. Text only.
import { h, mount } from "./dom.js";

/** Pretty JSON when `text` is a JSON object or array, else the text. */
export function previewText(text) {
  const trimmed = String(text ?? "").trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      // not JSON
    }
  }
  return String(text ?? "");
}

/** The pane; `show(title, subtitle, text)` fills it, `clear()` empties it. */
export function cellPreview() {
  const body = h(
    "div",
    { class: "preview-pane-body" },
    h("p", { class: "muted" }, "Click a cell to see its whole value."),
  );
  const el = h(
    "aside",
    { class: "preview-pane", testid: "cell-preview", hidden: true },
    h("div", { class: "preview-pane-head" }, h("strong", {}, "Preview")),
    body,
  );
  return {
    el,
    show(title, subtitle, text) {
      mount(
        body,
        h("div", { class: "preview-title", testid: "cell-preview-title" }, title),
        h("div", { class: "muted" }, subtitle),
        h("pre", { class: "preview-text", testid: "cell-preview-value" }, previewText(text)),
      );
    },
    clear() {
      mount(body, h("p", { class: "muted" }, "Click a cell to see its whole value."));
    },
  };
}
