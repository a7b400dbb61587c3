// A virtualized table: fixed-height rows, only the visible ones (plus a margin) are in the DOM, so
// tens of thousands of runs scroll smoothly. Columns can be resized (drag a header's right edge),
// reordered (drag a header onto another) and pinned (they stay at the left while scrolling sideways);
// sortable headers always show their arrow; a click on a cell is reported (the preview pane).
import { h } from "./dom.js";

const OVERSCAN = 8;
const MIN_WIDTH = 40;

const ARIA_SORT = { ASC: "ascending", DESC: "descending" };

// Enter or Space on a sortable header sorts, as a click does.
function sortKey(onSort) {
  return (e) => {
    if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    onSort(e);
  };
}

/**
 * columns: [{id, label, width, sort?: "ASC"|"DESC", onSort?, header?: () => Node, cell(row, i), title?,
 * className?, pinned?, fixed? (neither resized nor moved), immovable? (resized, not moved)}].
 * onNearEnd() is called when the user scrolls close to the last loaded row; onRender(rows) after each
 * render with the rows now in the DOM; onResize(id, width), onMove(id, beforeId) and
 * onCellClick(row, column) after the user's gestures.
 */
export function virtualTable(
  {
    columns,
    rowHeight = 30,
    onNearEnd,
    onRender,
    rowAttrs,
    onResize,
    onMove,
    onCellClick,
    testid = "virtual-table",
  },
) {
  let rows = [];
  let shown = { first: 0, last: 0 };
  let cols = columns;
  let lefts = new Map(); // pinned column id → sticky left offset
  const header = h("div", { class: "vt-header", role: "row" });
  const body = h("div", { class: "vt-body", role: "rowgroup" });
  const empty = h("div", { class: "vt-empty muted", hidden: true });
  const scroller = h("div", { class: "vt-scroll", role: "table", testid }, header, body, empty);
  let scheduled = false;
  let dragging; // id of the header being dragged

  const place = (cell, c) => {
    cell.style.width = `${c.width}px`;
    if (lefts.has(c.id)) {
      cell.classList.add("pinned");
      cell.style.left = `${lefts.get(c.id)}px`;
    }
  };

  const movable = (c) => Boolean(onMove) && !c.fixed && !c.immovable;

  const resizeHandle = (c) => {
    const handle = h("span", { class: "vt-resize", testid: "col-resize", title: "Drag to resize" });
    handle.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      event.stopPropagation();
      const startX = event.clientX, startW = c.width;
      handle.setPointerCapture(event.pointerId);
      // The header keeps its elements while dragging (replacing them would drop the pointer capture).
      const move = (e) => {
        c.width = Math.max(MIN_WIDTH, Math.round(startW + e.clientX - startX));
        layoutHeader();
        renderRows();
      };
      const up = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
        onResize?.(c.id, c.width);
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    });
    handle.addEventListener("click", (event) => event.stopPropagation());
    return handle;
  };

  /** Widths and pinned offsets from the columns, applied to the header cells in place. */
  const layoutHeader = () => {
    const width = cols.reduce((sum, c) => sum + c.width, 0);
    header.style.width = `${width}px`;
    body.style.width = `${width}px`;
    lefts = new Map();
    let left = 0;
    for (const c of cols) {
      if (!c.pinned) break;
      lefts.set(c.id, left);
      left += c.width;
    }
    cols.forEach((c, i) => header.children[i] && place(header.children[i], c));
  };

  const renderHeader = () => {
    layoutHeader();
    // A header sorted from the keyboard keeps the focus when the headers are drawn again.
    const focused = header.contains(document.activeElement) ? document.activeElement.dataset.col : undefined;
    header.replaceChildren(
      ...cols.map((c) => {
        const arrow = c.onSort
          ? h(
            "span",
            { class: `sort-arrow${c.sort ? " active" : ""}`, "aria-hidden": "true" },
            c.sort === "ASC" ? "▲" : c.sort === "DESC" ? "▼" : "⇅",
          )
          : null;
        const cell = h(
          "div",
          {
            class: `vt-cell vt-head${c.onSort ? " sortable" : ""}`,
            role: "columnheader",
            title: c.title ?? c.label,
            testid: `col-${c.id}`,
            dataset: { col: c.id, ...(c.sort ? { sort: c.sort } : {}) },
            onclick: c.onSort,
            // Sortable from the keyboard too: Tab to the header, Enter or Space sorts.
            tabindex: c.onSort ? "0" : undefined,
            "aria-sort": c.onSort ? ARIA_SORT[c.sort] ?? "none" : undefined,
            onkeydown: c.onSort ? sortKey(c.onSort) : undefined,
          },
          // Only the label drags (a drag from the resize handle must stay a resize).
          h(
            "span",
            { class: "vt-label", draggable: movable(c) ? "true" : undefined, testid: "col-label" },
            c.header ? c.header() : c.label,
          ),
          arrow,
          c.fixed || !onResize ? null : resizeHandle(c),
        );
        place(cell, c);
        if (movable(c)) {
          cell.firstChild.addEventListener("dragstart", (e) => {
            dragging = c.id;
            e.dataTransfer?.setData("text/plain", c.id);
          });
          cell.addEventListener("dragover", (e) => {
            if (dragging && dragging !== c.id) e.preventDefault();
          });
          cell.addEventListener("drop", (e) => {
            e.preventDefault();
            if (dragging && dragging !== c.id) onMove(dragging, c.id);
            dragging = undefined;
          });
          cell.addEventListener("dragend", () => (dragging = undefined));
        }
        return cell;
      }),
    );
    if (focused !== undefined) {
      [...header.children].find((cell) => cell.dataset.col === focused)?.focus({ preventScroll: true });
    }
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
    // Hidden (the chart view shows instead), the rows "on screen" are known but their elements are built
    // only when the table shows again (the resize observer sees it appear): the chart view starts sooner.
    const hidden = scroller.getClientRects().length === 0;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < (hidden ? first : last); i++) fragment.append(rowElement(rows[i], i));
    body.replaceChildren(fragment);
    scroller.dataset.renderedRows = String(hidden ? 0 : last - first);
    scroller.dataset.totalRows = String(rows.length);
    shown = { first, last };
    if (onNearEnd && rows.length > 0 && last >= rows.length - OVERSCAN * 4) onNearEnd();
    onRender?.(rows.slice(first, last));
  };

  const rowElement = (row, i) => {
    const el = h(
      "div",
      {
        class: `vt-row${i % 2 ? " odd" : ""}`,
        role: "row",
        style: { transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` },
        ...(rowAttrs?.(row, i) ?? {}),
      },
    );
    el.dataset.index = String(i);
    for (const c of cols) {
      const content = c.cell(row, i);
      const cell = h("div", {
        class: `vt-cell ${c.className ?? ""}`,
        role: "cell",
        dataset: { col: c.id },
      }, content);
      place(cell, c);
      if (typeof content === "string" && content.length > 12) cell.title = content;
      el.append(cell);
    }
    return el;
  };

  // A cell click is a press and a release of the main button on one cell, seen as pointer events, not as
  // the click event: a render between press and release (a live refresh, the table resizing) replaces the
  // row, and Chrome then sends no click at all, since the pressed element left the page.
  let pressed;
  const control = (target) => target.closest("a, button, input, select, label");
  const cellAt = (target) => {
    const cell = target.closest(".vt-cell");
    const rowEl = target.closest(".vt-row");
    return cell && rowEl ? { index: Number(rowEl.dataset.index), col: cell.dataset.col, cell } : undefined;
  };
  body.addEventListener("pointerdown", (event) => {
    pressed = event.button === 0 && !control(event.target) ? cellAt(event.target) : undefined;
  });
  body.addEventListener("pointerup", (event) => {
    const at = pressed;
    pressed = undefined;
    if (!at || !onCellClick || event.button !== 0 || control(event.target)) return;
    const up = cellAt(event.target);
    if (up && (up.index !== at.index || up.col !== at.col)) return; // a drag to another cell (selecting text)
    const column = cols.find((c) => c.id === at.col);
    const row = rows[at.index];
    if (column && row) onCellClick(row, column, up?.cell ?? at.cell);
  });

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
    /** All rows, in table order. */
    rows: () => rows,
  };
}
