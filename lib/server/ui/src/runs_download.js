// "Download CSV": pages through runs/search with the page's current search (not only the loaded rows),
// up to MAX_CSV_RUNS, and saves the rows of runs_export.js. MLflow's UI stops at the same count without
// saying so; here a capped download says it (a note on the page, and "first-N" in the file's name).
import { apiPost } from "./api.js";
import { downloadBlob, fileNameOf, toCsv } from "./chart_export.js";
import { runsCsvRows } from "./runs_export.js";
import { h } from "./dom.js";

/** Most runs in one CSV download (MLflow's UI stops at the same count). */
export const MAX_CSV_RUNS = 100_000;

/**
 * The runs the search matches, at most `maxRuns`, and whether more match (`capped`): one run past the cap
 * is asked for, so a last full page is not taken for more. `request(pageToken, maxResults)` builds the
 * runs/search body; `onProgress(count)` follows the pages.
 *
 * @example
 * ```js
 * const { runs, capped } = await collectCsvRuns((token, max) => runsSearchRequest(ids, state, token, max));
 * ```
 */
export async function collectCsvRuns(request, { maxRuns = MAX_CSV_RUNS, onProgress } = {}) {
  const runs = [];
  let pageToken;
  do {
    const page = await apiPost("runs/search", request(pageToken, Math.min(1000, maxRuns + 1 - runs.length)));
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token;
    onProgress?.(Math.min(runs.length, maxRuns));
  } while (pageToken && runs.length <= maxRuns);
  return { runs: runs.slice(0, maxRuns), capped: runs.length > maxRuns };
}

/**
 * The CSV's file name: `<name>-runs.csv`, or `<name>-runs-first-<N>.csv` when the cap left runs out.
 *
 * @example
 * ```js
 * csvFileName("iris", true, 100000); // "iris-runs-first-100000.csv"
 * ```
 */
export function csvFileName(name, capped, maxRuns = MAX_CSV_RUNS) {
  return fileNameOf(`${name}-runs${capped ? `-first-${maxRuns}` : ""}`, "csv");
}

/**
 * The note a capped download shows on the page: which runs the file holds, and how to get the rest.
 *
 * @example
 * ```js
 * csvCapNote(100000).textContent; // "The CSV holds the first 100,000 runs: more match the search. …"
 * ```
 */
export function csvCapNote(maxRuns = MAX_CSV_RUNS) {
  return h(
    "div",
    { class: "notice", testid: "csv-capped", role: "status" },
    `The CSV holds the first ${maxRuns.toLocaleString("en")} runs: more match the search. Narrow it ` +
      "(a filter, the start time or the datasets) and download again to get the others.",
  );
}

/**
 * Downloads every run the search matches, up to MAX_CSV_RUNS. `request(pageToken, maxResults)` builds the
 * runs/search body; the button shows progress and is disabled meanwhile. Resolves to `{count, capped}`.
 */
export async function downloadRunsCsv({ request, experimentName, name, button }) {
  const label = button.textContent;
  button.disabled = true;
  try {
    const { runs, capped } = await collectCsvRuns(request, {
      onProgress: (count) => button.textContent = `Downloading… ${count}`,
    });
    const csv = toCsv(runsCsvRows(runs, experimentName));
    downloadBlob(new Blob([csv], { type: "text/csv" }), csvFileName(name, capped));
    return { count: runs.length, capped };
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
