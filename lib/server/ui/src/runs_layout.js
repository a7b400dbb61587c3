// The runs page's layout: breadcrumbs, the experiment list beside, then the header, the search and view
// toolbar, the columns and actions toolbar, and the table or chart with "Load more" under it.
import { h, mount } from "./dom.js";

/** Mounts the runs page's parts into `container`; `parts` are the elements (and widgets with `.el`). */
export function mountRunsLayout(container, parts) {
  mount(
    container,
    h("nav", { class: "crumbs" }, h("a", { href: "#/experiments" }, "Experiments"), " / "),
    h(
      "div",
      { class: "runs-layout" },
      parts.sidebar,
      h(
        "div",
        { class: "runs-main" },
        parts.header,
        h(
          "div",
          { class: "toolbar" },
          parts.modeToggle.el,
          parts.searchBox,
          h("button", { testid: "runs-search", onclick: parts.onSearch }, "Search"),
          h("button", { testid: "runs-clear", onclick: parts.onClear }, "Clear"),
          parts.timeSelect,
          parts.datasets.el,
          parts.viewSelect,
          parts.grouping.el,
        ),
        h(
          "div",
          { class: "toolbar" },
          parts.chooser.el,
          parts.actions.el,
          parts.previewButton,
          parts.count,
        ),
        parts.errorSlot,
        parts.tableSlot,
        parts.chartSlot,
        h("div", { class: "footer" }, parts.loadMore),
      ),
    ),
  );
}
