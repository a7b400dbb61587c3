// A virtualized table: fixed-height rows, only the visible ones (plus a margin) are in the DOM, so
// tens of thousands of runs scroll smoothly.
import { h } from "./dom.js";

const OVERSCAN = 8;

/**
 * columns: [{id, label, width, sort?: "ASC"|"DESC", onSort?, header?: () => Node, cell(row, i)}].
 * onNearEnd() is called when the user scrolls close to the last loaded row; onRender(rows) after each
 * render with the rows now in the DOM.
 */
export function virtualTable(
  { columns, rowHeight = 30, onNearEnd, onRender, rowAttrs, testid = "virtual-table" },
) {
  let rows = [];
  let shown = { first: 0, last: 0 };
  let cols = columns;
  const header = h("div", { class: "vt-header", role: "row" });
  const body = h("div", { class: "vt-body", role: "rowgroup" });
  const empty = h("div", { class: "vt-empty muted", hidden: true });
  const scroller = h("div", { class: "vt-scroll", role: "table", testid }, header, body, empty);
  let scheduled = false;

  const renderHeader = () => {
    const width = cols.reduce((sum, c) => sum + c.width, 0);
    header.style.width = `${width}px`;
    body.style.width = `${width}px`;
    header.replaceChildren(
      ...cols.map((c) => {
        const cell = h(
          "div",
          {
            class: `vt-cell vt-head${c.onSort ? " sortable" : ""}`,
            role: "columnheader",
            style: { width: `${c.width}px` },
            title: c.title ?? c.label,
            testid: `col-${c.id}`,
            dataset: c.sort ? { sort: c.sort } : {},
            onclick: c.onSort,
          },
          c.header ? c.header() : c.label,
          c.sort ? (c.sort === "ASC" ? " ▲" : " ▼") : "",
        );
        return cell;
      }),
    );
  };

  const renderRows = () => {
    scheduled = false;
    body.style.height = `${rows.length * rowHeight}px`;
    const top = Math.max(0, scroller.scrollTop - header.offsetHeight);
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(
      rows.length,
      Math.ceil((top + (scroller.clientHeight || 600)) / rowHeight) + OVERSCAN,
    );
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = rows[i];
      const el = h(
        "div",
        {
          class: `vt-row${i % 2 ? " odd" : ""}`,
          role: "row",
          style: { transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` },
          ...(rowAttrs?.(row, i) ?? {}),
        },
      );
      for (const c of cols) {
        const content = c.cell(row, i);
        const cell = h("div", {
          class: `vt-cell ${c.className ?? ""}`,
          role: "cell",
          style: { width: `${c.width}px` },
        }, content);
        if (typeof content === "string" && content.length > 12) cell.title = content;
        el.append(cell);
      }
      fragment.append(el);
    }
    body.replaceChildren(fragment);
    scroller.dataset.renderedRows = String(last - first);
    scroller.dataset.totalRows = String(rows.length);
    shown = { first, last };
    if (onNearEnd && rows.length > 0 && last >= rows.length - OVERSCAN * 4) onNearEnd();
    onRender?.(rows.slice(first, last));
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(renderRows);
  };

  scroller.addEventListener("scroll", schedule, { passive: true });
  new ResizeObserver(schedule).observe(scroller);
  renderHeader();

  return {
    el: scroller,
    /** Replaces the rows; `keepScroll` keeps the scroll position (appending a page). */
    setRows(next, { keepScroll = false, emptyText = "No runs" } = {}) {
      rows = next;
      if (!keepScroll) scroller.scrollTop = 0;
      empty.hidden = rows.length > 0;
      empty.textContent = emptyText;
      renderRows();
    },
    setColumns(next) {
      cols = next;
      renderHeader();
      renderRows();
    },
    refresh: renderRows,
    /** The rows currently in the DOM (the visible ones plus the overscan margin). */
    renderedRows: () => rows.slice(shown.first, shown.last),
  };
}
