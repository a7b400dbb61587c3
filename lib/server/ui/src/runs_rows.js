// The rows of the runs table and the items of the chart view, from the loaded runs: pinned runs first,
// child runs nested under their parents (run_tree.js) — or, when grouping, a row per group followed by
// its runs — and for the charts one item per run (pinned first) or per group. Free of the DOM.
import { runLabel } from "./dom.js";
import { visibleRunRows, withParents } from "./run_tree.js";
import { groupRuns } from "./run_groups.js";

/** Runs in table order: pinned ones first (stable), parents fetched for nesting before their children. */
export function orderedRuns(runs, parents, isPinned) {
  const all = withParents(runs, parents);
  return [...all.filter((r) => isPinned(r.info.run_id)), ...all.filter((r) => !isPinned(r.info.run_id))];
}

/**
 * Table rows. ctx: {runs, parents, isPinned(id), group ({groupBy, aggregate}), expanded (Set of run ids),
 * collapsedGroups (Set of group ids), colorOf(id)}. Group rows are `{group, expanded}`, run rows
 * `{run, depth, childCount, expanded}` (`inGroup` inside a group).
 */
export function tableRows(ctx) {
  if (!ctx.group.groupBy) {
    return visibleRunRows(orderedRuns(ctx.runs, ctx.parents, ctx.isPinned), ctx.expanded);
  }
  const rows = [];
  for (const group of groupRuns(ctx.runs, ctx.group.groupBy, ctx.group.aggregate)) {
    group.color = ctx.colorOf(group.id);
    const open = !ctx.collapsedGroups.has(group.id);
    rows.push({ group, expanded: open });
    if (open) { for (const run of group.runs) rows.push({ run, depth: 1, inGroup: true, childCount: 0 }); }
  }
  return rows;
}

/**
 * Chart items `{id, label, color, runIds, run?, group?}`: a group each when grouping, else the search's
 * runs in table order (names used twice get the short run id). ctx as for tableRows, plus
 * repeated (Set of run names used more than once).
 */
export function chartItemsOf(ctx) {
  if (ctx.group.groupBy) {
    return groupRuns(ctx.runs, ctx.group.groupBy, ctx.group.aggregate).map((g) => ({
      id: g.id,
      label: g.label,
      color: ctx.colorOf(g.id),
      runIds: g.runs.map((r) => r.info.run_id),
      group: g,
    }));
  }
  return orderedRuns(ctx.runs, ctx.parents, ctx.isPinned).filter((r) => !r.forNesting).map((r) => ({
    id: r.info.run_id,
    label: ctx.repeated.has(runLabel(r)) ? `${runLabel(r)} (${r.info.run_id.slice(0, 7)})` : runLabel(r),
    color: ctx.colorOf(r.info.run_id),
    runIds: [r.info.run_id],
    run: r,
  }));
}
