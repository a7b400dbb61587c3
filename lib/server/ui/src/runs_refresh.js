// Auto-refresh of the runs page: while a run on screen is RUNNING, re-read the RUNNING ones on screen and
// hand over only those that changed.
import { apiPost } from "./api.js";
import { runIdFilter } from "./run_tree.js";
import { prepareRun } from "./runs_loading.js";
import { createPoller } from "./poller.js";

/**
 * A poller re-reading the RUNNING runs among `renderedRows()`. `ticket()` is taken before each request and
 * returns whether its answer came too late (the page reloaded meanwhile); `loaded()` are the runs shown;
 * `onChanged(fresh)` gets the re-read runs that changed, prepared, by run id.
 */
export function runningRunsPoller({ experimentIds, renderedRows, ticket, loaded, onChanged }) {
  const runningOnScreen = () =>
    renderedRows().filter((row) => row.run?.info.status === "RUNNING").map((row) => row.run.info.run_id);
  return createPoller({
    wanted: () => runningOnScreen().length > 0,
    tick: async () => {
      const stale = ticket();
      const ids = runningOnScreen().slice(0, 100);
      if (ids.length === 0) return;
      const page = await apiPost("runs/search", {
        experiment_ids: experimentIds,
        filter: runIdFilter(ids),
        run_view_type: "ALL",
        max_results: ids.length,
      });
      if (stale()) return;
      // Only runs that changed are redrawn: a redraw under the pointer would swallow a click.
      const onScreen = new Map(loaded().map((r) => [r.info.run_id, r]));
      const changed = (page.runs ?? []).filter((r) => !sameRun(onScreen.get(r.info.run_id), r));
      if (changed.length === 0) return;
      onChanged(new Map(changed.map((r) => [r.info.run_id, prepareRun(r)])));
    },
  });
}

/** Whether a re-read run says what the one on screen says (its wire fields, not the derived maps). */
function sameRun(shown, read) {
  if (!shown) return false;
  const wire = (r) => JSON.stringify([r.info, r.data, r.inputs]);
  return wire(shown) === wire(read);
}
