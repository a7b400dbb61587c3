// Loading runs for the experiment page: wire runs get maps of their params, tags, metrics and metric
// steps; parents of loaded child runs that the search's pages did not bring are fetched by id.
import { apiPost } from "./api.js";
import { toMap } from "./dom.js";
import { missingParentIds, runsByIdRequests, withParents } from "./run_tree.js";

/** Rounds of parent fetching after a page (a parent's own missing parent needs another round). */
const PARENT_ROUNDS = 10;

/** Adds `params`, `tags`, `metrics` (key → value) and `steps` (metric key → step) maps to a wire run. */
export function prepareRun(run) {
  run.params = toMap(run.data?.params);
  run.tags = toMap(run.data?.tags);
  run.metrics = new Map((run.data?.metrics ?? []).map((m) => [m.key, m.value]));
  run.steps = new Map((run.data?.metrics ?? []).map((m) => [m.key, Number(m.step ?? 0)]));
  return run;
}

/**
 * Fetches the parents of `runs` missing from them and from `parents` (nor in `asked`), then their own
 * missing parents, any lifecycle, 100 ids a call; found ones go into `parents` marked `forNesting`.
 * Returns the runs found, or undefined when `stale()` says the page moved on meanwhile.
 */
export async function fetchParentRuns({ runs, parents, asked, experimentIds, stale }) {
  const all = [];
  for (let round = 0; round < PARENT_ROUNDS; round++) {
    const ids = missingParentIds(withParents(runs, parents), asked);
    if (ids.length === 0) break;
    for (const id of ids) asked.add(id);
    const found = [];
    for (const request of runsByIdRequests(ids, experimentIds)) {
      const page = await apiPost("runs/search", request);
      if (stale()) return undefined;
      for (const r of page.runs ?? []) found.push(Object.assign(prepareRun(r), { forNesting: true }));
    }
    for (const r of found) parents.set(r.info.run_id, r);
    if (found.length === 0) break;
    all.push(...found);
  }
  return all;
}

/**
 * Marks the runs table as searching (`on`) or settled: the count says "Searching…", the rows on show are
 * dimmed and `aria-busy`, so old rows are not taken for the new search's answer while it runs.
 */
export function markSearching({ container, tableEl, count }, on) {
  if (on) {
    container.dataset.searching = "true";
    tableEl.classList.add("searching");
    tableEl.setAttribute("aria-busy", "true");
    count.textContent = "Searching…";
  } else {
    delete container.dataset.searching;
    tableEl.classList.remove("searching");
    tableEl.removeAttribute("aria-busy");
  }
}
