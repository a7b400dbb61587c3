// The runs table's column chooser: one searchable list of attributes, metrics, params and tags; a
// checkbox shows a column, ☆ pins it to the left, ↑ ↓ move it (headers can also be dragged); "Reset"
// goes back to the defaults. Changes go to the column prefs (column_prefs.js) and `onChange()`.
import { h, mount } from "./dom.js";
import { ATTRIBUTE_COLUMNS, columnId, moveColumn } from "./column_prefs.js";

/**
 * The chooser element. `known()` → {metrics, params, tags} (iterables of keys), `prefs` the page's column
 * prefs, `defaults()` → the default ids (shown until the user's first change makes the list their own).
 */
export function columnChooser({ known, prefs, defaults, onChange }) {
  const shown = () => prefs.shown ?? defaults();
  const search = h("input", {
    type: "search",
    class: "search",
    placeholder: "Search columns",
    testid: "column-search",
  });
  const list = h("div", { class: "chooser-list", testid: "column-list" });
  const count = h("span", { class: "muted" });
  const panel = h(
    "div",
    { class: "menu-panel chooser" },
    h("div", { class: "toolbar" }, search, count),
    list,
    h(
      "div",
      { class: "toolbar" },
      h("button", { testid: "columns-reset", onclick: () => reset() }, "Reset to defaults"),
    ),
  );
  const el = h(
    "details",
    { class: "columns-menu", testid: "columns-menu" },
    h("summary", {}, "Columns"),
    panel,
  );

  const commit = (next) => {
    prefs.shown = next;
    prefs.save();
    onChange();
    render();
  };
  const reset = () => {
    prefs.shown = undefined;
    prefs.pinned = [];
    prefs.widths = {};
    prefs.save();
    onChange();
    render();
  };

  const item = (id, label, kind) => {
    const ids = shown();
    const on = ids.includes(id);
    const isPinned = prefs.pinned.includes(id);
    const box = h("input", { type: "checkbox", checked: on, testid: "column-toggle", dataset: { col: id } });
    box.addEventListener("change", () => commit(box.checked ? [...ids, id] : ids.filter((x) => x !== id)));
    const at = ids.indexOf(id);
    return h(
      "div",
      { class: "chooser-item", testid: "column-item", dataset: { col: id } },
      h(
        "label",
        { class: "check chooser-label", title: `${kind} ${label}` },
        box,
        h("span", { class: "chooser-kind" }, kind),
        // A long name ends in "…" (the full one is the tooltip) so the ☆↑↓ buttons stay in the panel.
        h("span", { class: "chooser-name", testid: "column-name" }, label),
      ),
      on
        ? h(
          "span",
          { class: "chooser-actions" },
          h("button", {
            class: `icon${isPinned ? " on" : ""}`,
            testid: "column-pin",
            "aria-pressed": String(isPinned),
            title: isPinned ? "Unpin" : "Pin to the left",
            onclick: () => {
              prefs.pinned = isPinned ? prefs.pinned.filter((x) => x !== id) : [...prefs.pinned, id];
              commit(ids);
            },
          }, isPinned ? "★" : "☆"),
          h("button", {
            class: "icon",
            testid: "column-up",
            title: "Move left",
            disabled: at <= 0,
            onclick: () => commit(moveColumn(ids, id, ids[at - 1])),
          }, "↑"),
          h("button", {
            class: "icon",
            testid: "column-down",
            title: "Move right",
            disabled: at === ids.length - 1,
            onclick: () => commit(moveColumn(ids, id, ids[at + 2])),
          }, "↓"),
        )
        : null,
    );
  };

  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const k = known();
    const groups = [
      ["Attributes", "attr", Object.entries(ATTRIBUTE_COLUMNS).map(([id, label]) => [id, label])],
      ["Metrics", "metric", [...k.metrics].sort().map((key) => [columnId("metric", key), key])],
      ["Parameters", "param", [...k.params].sort().map((key) => [columnId("param", key), key])],
      ["Tags", "tag", [...k.tags].sort().map((key) => [columnId("tag", key), key])],
    ];
    let total = 0;
    mount(
      list,
      groups.map(([title, kind, entries]) => {
        const hits = entries.filter(([, label]) => label.toLowerCase().includes(needle));
        total += hits.length;
        if (hits.length === 0) return null;
        return h("fieldset", {}, h("legend", {}, title), hits.map(([id, label]) => item(id, label, kind)));
      }),
    );
    count.textContent = `${shown().length} shown`;
    if (total === 0) list.append(h("p", { class: "muted", testid: "column-none" }, "No column matches"));
  };
  search.addEventListener("input", render);
  el.addEventListener("toggle", () => {
    if (el.open) {
      render();
      search.focus();
    }
  });
  return { el, refresh: () => el.open && render() };
}
