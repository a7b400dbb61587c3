// The run page's "Child runs" row: the run's children (tag mlflow.parentRunId), a page at a time. A run
// with more children than one page says so, loads the next page on request and links to the runs table
// filtered on the parent, so no child is cut off without notice.
import { apiPost } from "./api.js";
import { errorBox, h, mount, runLabel } from "./dom.js";
import { experimentHash } from "./routes.js";
import { markBusy, showPageError } from "./busy_button.js";

/** Children listed per page on the run page (more load on request). */
export const CHILD_PAGE_SIZE = 100;

/**
 * The runs-table filter finding the children of `runId` (quotes doubled, as the server reads them).
 *
 * @example
 * ```js
 * childRunsFilter("ab12"); // "tags.`mlflow.parentRunId` = 'ab12'"
 * ```
 */
export function childRunsFilter(runId) {
  return `tags.\`mlflow.parentRunId\` = '${String(runId).replaceAll("'", "''")}'`;
}

/**
 * The runs/search body of one page of the active children of the run `info` (after `pageToken`).
 *
 * @param {{experiment_id: string, run_id: string}} info
 * @param {string | undefined} [pageToken]
 * @param {number} [maxResults]
 */
export function childRunsRequest(info, pageToken, maxResults = CHILD_PAGE_SIZE) {
  return {
    experiment_ids: [info.experiment_id],
    filter: childRunsFilter(info.run_id),
    run_view_type: "ACTIVE_ONLY",
    max_results: maxResults,
    order_by: ["attributes.start_time DESC"],
    page_token: pageToken,
  };
}

/** The hash of the runs table showing exactly the children of the run `info`. */
export function childRunsTableHash(info) {
  return experimentHash(
    [info.experiment_id],
    String(new URLSearchParams({ searchFilter: childRunsFilter(info.run_id) })),
  );
}

/** Fills `cell` with the children of the run `info`, one page at a time (see the module comment). */
export function fillChildRuns(cell, info) {
  const links = [];
  const list = h("span", {});
  const note = h("span", { class: "muted", testid: "child-runs-note" });
  const more = h("button", { class: "small", testid: "child-runs-more", hidden: true }, "Show more");
  const table = h(
    "a",
    { href: childRunsTableHash(info), testid: "child-runs-table", hidden: true },
    "open in the runs table",
  );
  let token;
  const load = async () => {
    markBusy(more, true);
    try {
      const page = await apiPost("runs/search", childRunsRequest(info, token));
      for (const c of page.runs ?? []) {
        links.push(h("a", {
          href: `#/experiments/${encodeURIComponent(c.info.experiment_id)}/runs/${
            encodeURIComponent(c.info.run_id)
          }`,
          testid: "child-run",
        }, runLabel(c)));
      }
      token = page.next_page_token;
      if (links.length === 0) return void mount(cell, "—");
      mount(list, links.flatMap((a, i) => [i ? ", " : "", a]));
      more.hidden = !token;
      table.hidden = !token && links.length <= CHILD_PAGE_SIZE;
      note.textContent = token ? ` (first ${links.length} shown; more exist) ` : ` (${links.length}) `;
      if (!cell.contains(list)) mount(cell, list, note, more, " ", table);
      showPageError(more);
    } catch (error) {
      // A later page: the children listed and Show more stay, with the error beside it (a click retries).
      if (links.length) return void showPageError(more, error);
      mount(cell, errorBox(error.message ?? String(error), "child-runs-error"));
    } finally {
      markBusy(more, false);
    }
  };
  more.addEventListener("click", () => void load());
  return load();
}
