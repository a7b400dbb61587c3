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
  // Break cycles (a → b → a): the run where a walk meets itself again becomes a root. Each run is walked
  // once: a walk stops at a run an earlier walk finished (`done`), so this is linear in the runs.
  const done = new Set();
  for (const start of parentOf.keys()) {
    if (done.has(start)) continue;
    const path = new Set();
    let at = start;
    while (at !== undefined && !done.has(at)) {
      if (path.has(at)) {
        parentOf.delete(at);
        break;
      }
      path.add(at);
      at = parentOf.get(at);
    }
    for (const id of path) done.add(id);
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
  // Depth-first with an explicit stack (a 20,000-deep chain would overflow a recursive walk).
  const stack = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ run: roots[i], depth: 0 });
  while (stack.length > 0) {
    const { run, depth } = stack.pop();
    const kids = children.get(run.info.run_id);
    const open = kids !== undefined && expanded.has(run.info.run_id);
    rows.push({ run, depth, childCount: kids?.length ?? 0, expanded: open });
    if (open) { for (let i = kids.length - 1; i >= 0; i--) stack.push({ run: kids[i], depth: depth + 1 }); }
  }
  return rows;
}

/** Parent ids the runs refer to that are neither among them nor in `skip` (e.g. ids already asked for). */
export function missingParentIds(runs, skip = new Set()) {
  const ids = new Set();
  for (const r of runs) ids.add(r.info.run_id);
  const missing = new Set();
  for (const r of runs) {
    const parent = parentIdOf(r);
    if (parent !== undefined && !ids.has(parent) && !skip.has(parent)) missing.add(parent);
  }
  return [...missing];
}

/** Most run ids in one `attributes.run_id IN (…)` search. */
export const RUN_ID_CHUNK = 100;

/** `attributes.run_id IN ('a', 'b')` (quotes in ids doubled, as the server reads them). */
export function runIdFilter(ids) {
  return `attributes.run_id IN (${ids.map((id) => `'${String(id).replaceAll("'", "''")}'`).join(", ")})`;
}

/**
 * The runs/search requests that fetch the runs `ids` of `experimentIds` whatever their lifecycle, at most
 * RUN_ID_CHUNK ids each (how the runs page fetches parents missing from the loaded pages).
 */
export function runsByIdRequests(ids, experimentIds) {
  const requests = [];
  for (let i = 0; i < ids.length; i += RUN_ID_CHUNK) {
    const chunk = ids.slice(i, i + RUN_ID_CHUNK);
    requests.push({
      experiment_ids: experimentIds,
      filter: runIdFilter(chunk),
      run_view_type: "ALL",
      max_results: chunk.length,
    });
  }
  return requests;
}

/**
 * `runs` with the `parents` (run id → run, fetched only so their children can nest) each placed just
 * before the first run that descends from it; a parent that is also in `runs` is not repeated.
 */
export function withParents(runs, parents) {
  if (parents.size === 0) return runs;
  const placed = new Set();
  for (const r of runs) placed.add(r.info.run_id);
  const out = [];
  for (const r of runs) {
    const chain = []; // fetched ancestors not placed yet, nearest first
    let parent = parentIdOf(r);
    while (parent !== undefined && parents.has(parent) && !placed.has(parent)) {
      placed.add(parent);
      const run = parents.get(parent);
      chain.push(run);
      parent = parentIdOf(run);
    }
    for (let i = chain.length - 1; i >= 0; i--) out.push(chain[i]);
    out.push(r);
  }
  return out;
}
