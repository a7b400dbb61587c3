// The compare page's table: a column per run headed by its linked name; the runs' facts, then params, metrics and tags as sections of ONE table, so
// a run's column starts and ends at the same x in every section (separate tables each sized their own
// columns, so they drifted apart with long values, many runs or keys only some runs have). Columns have
// fixed widths; a value is cut to one line with the whole value in its tooltip, a click shows it all;
// a table wider than the page scrolls sideways in its box with the key column kept in view.
import { breakable, h, mount } from "./dom.js";
import { runColor } from "./run_marks.js";
import { runHash } from "./routes.js";

const KEY_WIDTH = 240;
const RUN_WIDTH = 200;

const swatch = (r) => h("span", { class: "swatch", style: { background: runColor(r.info.run_id) } });

/** A cell's content cut to one line (whole value in the tooltip); a click toggles the whole value. */
function clippedCell(content, fullText) {
  const el = h("div", {
    class: "compare-value",
    testid: "compare-value",
    title: fullText || undefined,
    tabindex: "0",
    "aria-expanded": "false",
  }, content);
  const toggle = () => el.setAttribute("aria-expanded", String(el.classList.toggle("open")));
  el.addEventListener("click", () => {
    // Selecting text in an open cell must not fold it again.
    if (el.classList.contains("open") && String(getSelection?.() ?? "") !== "") return;
    toggle();
  });
  el.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    toggle();
  });
  return el;
}

/** A row of `cells(run)` under a heading cell; `attrs` for the <tr>. */
const runRow = (runs, title, cell, attrs) =>
  h("tr", attrs, h("th", { scope: "row" }, title), runs.map((r) => h("td", {}, cell(r))));

/**
 * One section's rows: a row per key, "diff" when the exact values `valueOf` gives are not all equal;
 * `show(value)` is what a cell displays, `text(value)` its whole value for the tooltip.
 */
function sectionRows(runs, { keys, valueOf, rowTestid, show, text }) {
  return keys.map((key) => {
    const values = runs.map((r) => valueOf(r, key));
    const differs = values.some((v) => v !== values[0]);
    return h(
      "tr",
      { class: differs ? "diff" : "same", testid: rowTestid, dataset: { key, differs: String(differs) } },
      h("th", { scope: "row" }, breakable(key)),
      values.map((v) => h("td", {}, v === undefined ? "" : clippedCell(show(v), text(v)))),
    );
  });
}

/**
 * The compare table. `info` = [[title, cell(run)]] rows of facts (links, ids, times); `sections` =
 * [{title, testid, keys, valueOf, rowTestid, show?, text?}]. `refresh(diffOnly)` redraws the sections
 * keeping only the keys whose values differ when `diffOnly`.
 *
 * @example const t = compareTable(runs, label, info, sections); mount(box, t.el); t.refresh(true);
 */
export function compareTable(runs, label, info, sections) {
  const width = KEY_WIDTH + runs.length * RUN_WIDTH;
  const table = h(
    "table",
    { class: "grid-table compare", testid: "compare-table", style: { width: `max(100%, ${width}px)` } },
    h(
      "colgroup",
      {},
      h("col", { style: { width: `${KEY_WIDTH}px` } }),
      runs.map(() => h("col", { style: { width: `${RUN_WIDTH}px` } })),
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        { testid: "compare-head" },
        h("th", {}, ""),
        runs.map((r) =>
          h(
            "th",
            { class: "run-head" },
            swatch(r),
            h(
              "a",
              { href: runHash(r.info.experiment_id, r.info.run_id), testid: "compare-run-link" },
              breakable(label(r)),
            ),
          )
        ),
      ),
    ),
    h(
      "tbody",
      { testid: "compare-runs" },
      info.map(([title, cell]) => runRow(runs, title, cell, { testid: "compare-info-row" })),
    ),
  );
  const bodies = sections.map((s) => h("tbody", { testid: s.testid }));
  table.append(...bodies);
  const refresh = (diffOnly) => {
    sections.forEach((s, i) => {
      const keys = diffOnly
        ? s.keys.filter((k) => runs.some((r) => s.valueOf(r, k) !== s.valueOf(runs[0], k)))
        : s.keys;
      mount(
        bodies[i],
        h(
          "tr",
          { class: "compare-section" },
          h("th", { colspan: runs.length + 1 }, h("h2", {}, `${s.title} (${s.keys.length})`)),
        ),
        sectionRows(runs, {
          keys,
          valueOf: s.valueOf,
          rowTestid: s.rowTestid,
          show: s.show ?? ((v) => String(v)),
          text: s.text ?? ((v) => String(v)),
        }),
      );
    });
  };
  refresh(false);
  return { el: h("div", { class: "table-scroll compare-scroll" }, table), refresh };
}
