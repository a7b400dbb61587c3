/**
 * Run and experiment search on SQLite: the SQL translator selects one page of rows, then the page's
 * params, tags, latest metrics and inputs load with one query per table. The store imports this module
 * on its first search, with the search grammar behind it: runs that only log never load them.
 *
 * @module
 */
import { stagesForViewType, type ViewType } from "../../entities.ts";
import type {
  ExperimentsPage,
  RunsPage,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "../../search/evaluate.ts";
import { decodePageToken, encodePageToken } from "../../search/page_token.ts";
import { parseSearch } from "../../search/parser.ts";
import { experimentSearchSql, runSearchSql, searchableExperimentIds } from "../../search/sql.ts";
import { validateMaxResults } from "../../validation.ts";
import type { ExperimentRow } from "../sql/rows.ts";
import type { SqliteDb } from "./db.ts";
import { withTags } from "./experiments.ts";
import { loadRuns, runRowsAt } from "./rows.ts";

/** MLflow's run search over the SQLite schema. */
export function searchRuns(db: SqliteDb, options: SearchRunsOptions, hasInputs: boolean): RunsPage {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy);
  const offset = decodePageToken(options.pageToken);
  const experimentIds = searchableExperimentIds(options.experimentIds);
  if (experimentIds.length === 0) return { runs: [] };
  const query = runSearchSql({
    experimentIds,
    stages: stagesForViewType(options.runViewType ?? "ACTIVE_ONLY"),
    clauses,
    orderBy,
    // One extra row tells whether another page exists.
    limit: maxResults + 1,
    offset,
    // Only rowids go through the sort, and the page's rows are read after it: SQLite's sorter copies every
    // selected column of every candidate, which made a page of 100 of 10,000 runs twice as slow.
    columns: "r.rowid",
  });
  return db.read(() => {
    const rowids = db.rows<[number]>(query.sql, ...query.params).map((row) => row[0]);
    const runs = loadRuns(db, runRowsAt(db, rowids.slice(0, maxResults)), { hasInputs });
    return rowids.length > maxResults
      ? { runs, nextPageToken: encodePageToken(offset + maxResults) }
      : { runs };
  });
}

/** MLflow's experiment search. */
export function searchExperiments(db: SqliteDb, options: SearchExperimentsOptions): ExperimentsPage {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy, "experiments");
  const offset = decodePageToken(options.pageToken);
  const stages = stagesForViewType(options.viewType ?? ("ACTIVE_ONLY" as ViewType));
  const query = experimentSearchSql({ stages, clauses, orderBy, limit: maxResults + 1, offset });
  return db.read(() => {
    const rows = db.all<ExperimentRow>(query.sql, ...query.params);
    const experiments = withTags(db, rows.slice(0, maxResults));
    return rows.length > maxResults
      ? { experiments, nextPageToken: encodePageToken(offset + maxResults) }
      : { experiments };
  });
}
