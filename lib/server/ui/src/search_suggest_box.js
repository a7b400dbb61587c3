// The search box's suggestion list: opens as the user types, ArrowUp/ArrowDown move, Enter or Tab
// accepts, Escape closes; a click accepts too. Enter with no highlighted item is left to the page
// (it runs the search), which sees `event.defaultPrevented` when an item was accepted instead.
import { h } from "./dom.js";
import { suggest } from "./search_suggest.js";

let nextId = 0;

/** Wraps `input` with a suggestion list fed by `getKeys()` → {metrics, params, tags}. Returns the wrapper. */
export function attachAutocomplete(input, getKeys) {
  const listId = `suggestions-${++nextId}`;
  const list = h("ul", { class: "suggestions", role: "listbox", id: listId, testid: "search-suggestions" });
  list.hidden = true;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");
  input.autocomplete = "off";
  let current = { from: 0, to: 0, items: [] };
  let active = -1;

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((li, i) => {
      li.setAttribute("aria-selected", String(i === index));
      li.classList.toggle("active", i === index);
      if (i === index) li.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) input.setAttribute("aria-activedescendant", `${listId}-${index}`);
    else input.removeAttribute("aria-activedescendant");
  };

  const open = () => {
    const caret = input.selectionStart ?? input.value.length;
    current = suggest(input.value, caret, getKeys());
    if (current.items.length === 0) return close();
    list.replaceChildren(
      ...current.items.map((item, i) =>
        h(
          "li",
          {
            role: "option",
            id: `${listId}-${i}`,
            testid: "search-suggestion",
            dataset: { insert: item.insert, kind: item.kind },
            "aria-selected": "false",
            // mousedown, not click: the input keeps focus.
            onmousedown: (e) => {
              e.preventDefault();
              accept(i);
            },
          },
          item.label,
        )
      ),
    );
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  };

  const accept = (index) => {
    const item = current.items[index];
    if (!item) return;
    const value = input.value;
    input.value = value.slice(0, current.from) + item.insert + value.slice(current.to);
    const caret = current.from + item.insert.length;
    input.setSelectionRange(caret, caret);
    input.focus();
    // An entity prefix ("metrics.") leads straight to its keys.
    if (item.kind === "entity") open();
    else close();
  };

  input.addEventListener("input", open);
  input.addEventListener("focus", () => input.value && open());
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) open();
      const n = current.items.length;
      if (n === 0) return;
      e.preventDefault();
      highlight(e.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n);
    } else if ((e.key === "Enter" || e.key === "Tab") && !list.hidden && active >= 0) {
      e.preventDefault();
      accept(active);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  return h("span", { class: "autocomplete" }, input, list);
}
