// "Download CSV": pages through runs/search with the page's current search (not only the loaded rows),
// up to MAX_CSV_RUNS, and saves the rows of runs_export.js.
import { apiPost } from "./api.js";
import { downloadBlob, fileNameOf, toCsv } from "./chart_export.js";
import { runsCsvRows } from "./runs_export.js";

/** Most runs in one CSV download (MLflow's UI stops at the same count). */
export const MAX_CSV_RUNS = 100_000;

/**
 * Downloads every run the search matches. `request(pageToken, maxResults)` builds the runs/search body;
 * the button shows progress and is disabled meanwhile.
 */
export async function downloadRunsCsv({ request, experimentName, name, button }) {
  const label = button.textContent;
  button.disabled = true;
  try {
    const runs = [];
    let pageToken;
    do {
      const page = await apiPost("runs/search", request(pageToken, 1000));
      runs.push(...(page.runs ?? []));
      pageToken = page.next_page_token;
      button.textContent = `Downloading… ${runs.length}`;
    } while (pageToken && runs.length < MAX_CSV_RUNS);
    const csv = toCsv(runsCsvRows(runs.slice(0, MAX_CSV_RUNS), experimentName));
    downloadBlob(new Blob([csv], { type: "text/csv" }), fileNameOf(`${name}-runs`, "csv"));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
