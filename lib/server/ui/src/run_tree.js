// Nesting of child runs under their parents (tag mlflow.parentRunId), like MLflow's runs table:
// collapsed parents show only themselves; a child whose parent is not loaded stays at top level.

const PARENT_TAG = "mlflow.parentRunId";

/** The parent run id of a run (wire run with `tags` as a Map, or `data.tags` as a list). */
export function parentIdOf(run) {
  if (run.tags instanceof Map) return run.tags.get(PARENT_TAG);
  return run.data?.tags?.find((t) => t.key === PARENT_TAG)?.value;
}

/**
 * Groups loaded runs: `roots` (in load order) and `children` (parent id → child runs in load order).
 * A run whose parent is not loaded, or that sits in a parent cycle, is a root.
 */
export function runForest(runs) {
  const ids = new Set();
  for (const r of runs) ids.add(r.info.run_id);
  const children = new Map();
  const parentOf = new Map();
  for (const r of runs) {
    const parent = parentIdOf(r);
    if (parent === undefined || parent === r.info.run_id || !ids.has(parent)) continue;
    parentOf.set(r.info.run_id, parent);
  }
  // Break cycles (a → b → a): the run where a walk meets itself again becomes a root.
  for (const start of parentOf.keys()) {
    const seen = new Set([start]);
    let at = parentOf.get(start);
    while (at !== undefined && parentOf.has(at)) {
      if (seen.has(at)) {
        parentOf.delete(at);
        break;
      }
      seen.add(at);
      at = parentOf.get(at);
    }
  }
  const roots = [];
  for (const r of runs) {
    const parent = parentOf.get(r.info.run_id);
    if (parent === undefined) roots.push(r);
    else {
      let list = children.get(parent);
      if (!list) children.set(parent, list = []);
      list.push(r);
    }
  }
  return { roots, children };
}

/**
 * The rows to show: `{run, depth, childCount, expanded}` for every root and, under each expanded run,
 * its children (recursively). `expanded` is a Set of run ids.
 */
export function visibleRunRows(runs, expanded) {
  const { roots, children } = runForest(runs);
  const rows = [];
  const visit = (run, depth) => {
    const kids = children.get(run.info.run_id);
    const open = kids !== undefined && expanded.has(run.info.run_id);
    rows.push({ run, depth, childCount: kids?.length ?? 0, expanded: open });
    if (open) { for (const kid of kids) visit(kid, depth + 1); }
  };
  for (const r of roots) visit(r, 0);
  return rows;
}
