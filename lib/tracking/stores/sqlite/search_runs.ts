/**
 * Run search on SQLite: the SQL translator selects one page of run rows, then the page's params,
 * tags, latest metrics and inputs load with one query per table.
 *
 * @module
 */
import { stagesForViewType } from "../../entities.ts";
import type { RunsPage, SearchRunsOptions } from "../../search/evaluate.ts";
import { decodePageToken, encodePageToken } from "../../search/page_token.ts";
import { parseSearch } from "../../search/parser.ts";
import { runSearchSql } from "../../search/sql.ts";
import { validateMaxResults } from "../../validation.ts";
import type { SqliteDb } from "./db.ts";
import { loadRuns, type RunRow } from "./rows.ts";

/** MLflow's run search over the SQLite schema. */
export function searchRuns(db: SqliteDb, options: SearchRunsOptions, hasInputs: boolean): RunsPage {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy);
  const offset = decodePageToken(options.pageToken);
  if (options.experimentIds.length === 0) return { runs: [] };
  const query = runSearchSql({
    experimentIds: options.experimentIds,
    stages: stagesForViewType(options.runViewType ?? "ACTIVE_ONLY"),
    clauses,
    orderBy,
    // One extra row tells whether another page exists.
    limit: maxResults + 1,
    offset,
  });
  return db.read(() => {
    const rows = db.all<RunRow>(query.sql, ...query.params);
    const runs = loadRuns(db, rows.slice(0, maxResults), { hasInputs });
    return rows.length > maxResults
      ? { runs, nextPageToken: encodePageToken(offset + maxResults) }
      : { runs };
  });
}
