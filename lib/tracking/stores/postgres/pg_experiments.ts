/**
 * Experiments in MLflow's PostgreSQL schema: create, read, search, rename, delete/restore, tags.
 *
 * @module
 */
import type { Experiment, LifecycleStage, ViewType } from "../../entities.ts";
import { setEntry, stagesForViewType } from "../../entities.ts";
import type { ExperimentsPage, SearchExperimentsOptions } from "../../search/evaluate.ts";
import { decodePageToken, encodePageToken } from "../../search/page_token.ts";
import { parseSearch } from "../../search/parser.ts";
import { experimentSearchSql, POSTGRESQL } from "../../search/sql.ts";
import type { CreateExperimentOptions } from "../store.ts";
import {
  cannotRenameDeleted,
  experimentExists,
  experimentNotActive,
  experimentNotFound,
  experimentTagNotFound,
} from "../../tracking_errors.ts";
import {
  validateArtifactLocation,
  validateExperimentName,
  validateExperimentTag,
  validateMaxResults,
} from "../../validation.ts";
import { appendToUri, type ExperimentRow, toExperiment } from "../sql/rows.ts";
import type { PgDb, PgQuery } from "./pg_db.ts";
import { refuseNul } from "../../nul_check.ts";
import { checkArtifactLocationWidth } from "./pg_widths.ts";

const COLUMNS = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

/**
 * An experiment id as PostgreSQL's INTEGER, or undefined when no experiment can have it ("abc",
 * "99999999999", "1.5"): such ids are simply not found. An id is read as SQLite reads text compared with
 * an INTEGER column (its affinity), so both SQL stores find the same experiment: spaces around it and an
 * integral decimal or exponent form (" 1 ", "1.0", "1e0") name experiment 1.
 *
 * @example
 * ```ts
 * pgExperimentId("12"); // 12
 * pgExperimentId(" 12.0"); // 12
 * pgExperimentId("x"); // undefined
 * ```
 */
export function pgExperimentId(id: string): number | undefined {
  const numeric = /^[ \t\n\v\f\r]*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[ \t\n\v\f\r]*$/.exec(id);
  if (!numeric) return undefined;
  const n = Number(numeric[1]);
  return Number.isInteger(n) && n >= 0 && n <= 2147483647 ? n : undefined;
}

async function withTags(q: PgQuery, rows: readonly ExperimentRow[]): Promise<Experiment[]> {
  if (rows.length === 0) return [];
  const tags = new Map<string, Record<string, string>>();
  const tagRows = await q.all<{ experiment_id: number; key: string; value: string | null }>(
    "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ANY($1::int[])",
    [rows.map((r) => Number(r.experiment_id))],
  );
  for (const r of tagRows) {
    const id = String(r.experiment_id);
    if (!tags.has(id)) tags.set(id, {});
    setEntry(tags.get(id)!, r.key, r.value ?? "");
  }
  return rows.map((r) => toExperiment(r, tags.get(String(r.experiment_id)) ?? {}));
}

async function rowById(q: PgQuery, experimentId: string, stages?: readonly LifecycleStage[]) {
  refuseNul("experiment_id", experimentId); // as SQLite does (it would cut the id at NUL)
  const id = pgExperimentId(experimentId);
  const row = id === undefined
    ? undefined
    : await q.get<ExperimentRow>(`SELECT ${COLUMNS} FROM experiments WHERE experiment_id = $1`, [id]);
  if (!row || (stages && !stages.includes((row.lifecycle_stage ?? "active") as LifecycleStage))) {
    throw experimentNotFound(experimentId);
  }
  return row;
}

/** Creates experiment 0 "Default" when the database has no experiment at all (as MLflow does). */
export async function ensureDefaultExperiment(db: PgDb, artifactRoot: string, now: number): Promise<void> {
  if (await db.get("SELECT 1 AS one FROM experiments LIMIT 1")) return;
  // Processes opening a new database together: the first insert wins, the others change nothing.
  await db.run(
    "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, " +
      "last_update_time) SELECT 0, 'Default', $1, 'active', $2, $3 " +
      "WHERE NOT EXISTS (SELECT 1 FROM experiments) ON CONFLICT DO NOTHING",
    [appendToUri(artifactRoot, "0"), now, now],
  );
}

/** Creates an experiment; returns its id. */
export async function createExperiment(
  db: PgDb,
  artifactRoot: string,
  name: string,
  options: CreateExperimentOptions,
  now: number,
): Promise<string> {
  validateExperimentName(name);
  const tags = Object.entries(options.tags ?? {});
  for (const [k, v] of tags) validateExperimentTag(k, v);
  if (options.artifactLocation) validateArtifactLocation(options.artifactLocation);
  if (options.artifactLocation) checkArtifactLocationWidth(options.artifactLocation);
  try {
    return await db.write(async (q) => {
      if (await q.get("SELECT 1 AS one FROM experiments WHERE name = $1", [name])) {
        throw experimentExists(name);
      }
      const { experiment_id: id } = (await q.get<{ experiment_id: number }>(
        "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
          "VALUES ($1, $2, 'active', $3, $4) RETURNING experiment_id",
        [name, options.artifactLocation || null, now, now],
      ))!;
      if (!options.artifactLocation) {
        const location = appendToUri(artifactRoot, String(id));
        checkArtifactLocationWidth(location);
        await q.run("UPDATE experiments SET artifact_location = $1 WHERE experiment_id = $2", [location, id]);
      }
      for (const [k, v] of tags) {
        await q.run("INSERT INTO experiment_tags (key, value, experiment_id) VALUES ($1, $2, $3)", [
          k,
          v,
          id,
        ]);
      }
      return String(id);
    });
  } catch (error) {
    // Another process created the same name between the check and the insert.
    if ((error as { code?: string }).code === "23505") throw experimentExists(name);
    throw error;
  }
}

/** An experiment by id, any stage. */
export async function getExperiment(db: PgDb, experimentId: string): Promise<Experiment> {
  return await db.read(async (q) => (await withTags(q, [await rowById(q, experimentId)]))[0]);
}

/** An experiment by name, any stage, or undefined. */
export async function getExperimentByName(db: PgDb, name: string): Promise<Experiment | undefined> {
  return await db.read(async (q) => {
    const rows = await q.all<ExperimentRow>(`SELECT ${COLUMNS} FROM experiments WHERE name = $1`, [name]);
    rows.sort((a, b) => Number(a.lifecycle_stage !== "active") - Number(b.lifecycle_stage !== "active"));
    return rows.length ? (await withTags(q, [rows[0]]))[0] : undefined;
  });
}

/** An experiment's row, checked to be active (for creating runs in it). */
export async function activeExperimentRow(q: PgQuery, experimentId: string): Promise<ExperimentRow> {
  const row = await rowById(q, experimentId);
  if (row.lifecycle_stage !== "active") throw experimentNotActive(experimentId, row.lifecycle_stage ?? "");
  return row;
}

/** MLflow's experiment search. */
export async function searchExperiments(
  db: PgDb,
  options: SearchExperimentsOptions,
): Promise<ExperimentsPage> {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy, "experiments");
  const offset = decodePageToken(options.pageToken);
  const stages = stagesForViewType(options.viewType ?? ("ACTIVE_ONLY" as ViewType));
  const query = experimentSearchSql({
    stages,
    clauses,
    orderBy,
    limit: maxResults + 1,
    offset,
    dialect: POSTGRESQL,
  });
  return await db.read(async (q) => {
    const rows = await q.all<ExperimentRow>(query.sql, query.params);
    const experiments = await withTags(q, rows.slice(0, maxResults));
    return rows.length > maxResults
      ? { experiments, nextPageToken: encodePageToken(offset + maxResults) }
      : { experiments };
  });
}

/** Renames an active experiment. */
export async function renameExperiment(db: PgDb, experimentId: string, newName: string, now: number) {
  validateExperimentName(newName, "new_name");
  try {
    await db.write(async (q) => {
      const row = await rowById(q, experimentId);
      if (row.lifecycle_stage !== "active") throw cannotRenameDeleted();
      const other = await q.get<{ experiment_id: number }>(
        "SELECT experiment_id FROM experiments WHERE name = $1",
        [newName],
      );
      if (other && String(other.experiment_id) !== String(row.experiment_id)) throw experimentExists(newName);
      await q.run("UPDATE experiments SET name = $1, last_update_time = $2 WHERE experiment_id = $3", [
        newName,
        now,
        row.experiment_id,
      ]);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw experimentExists(newName);
    throw error;
  }
}

/** Soft-deletes an active experiment (and all its runs), or restores a deleted one. */
export async function setExperimentDeleted(db: PgDb, experimentId: string, deleted: boolean, now: number) {
  await db.write(async (q) => {
    const row = await rowById(q, experimentId, [deleted ? "active" : "deleted"]);
    await q.run(
      "UPDATE experiments SET lifecycle_stage = $1, last_update_time = $2 WHERE experiment_id = $3",
      [
        deleted ? "deleted" : "active",
        now,
        row.experiment_id,
      ],
    );
    await q.run("UPDATE runs SET lifecycle_stage = $1, deleted_time = $2 WHERE experiment_id = $3", [
      deleted ? "deleted" : "active",
      deleted ? now : null,
      row.experiment_id,
    ]);
  });
}

/** Sets a tag of an active experiment. */
export async function setExperimentTag(db: PgDb, experimentId: string, key: string, value: string) {
  validateExperimentTag(key, value);
  await db.write(async (q) => {
    const row = await activeExperimentRow(q, experimentId);
    await q.run(
      "INSERT INTO experiment_tags (key, value, experiment_id) VALUES ($1, $2, $3) " +
        "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value",
      [key, value, row.experiment_id],
    );
  });
}

/** Deletes a tag of an active experiment. */
export async function deleteExperimentTag(db: PgDb, experimentId: string, key: string) {
  await db.write(async (q) => {
    const row = await activeExperimentRow(q, experimentId);
    const n = await q.run("DELETE FROM experiment_tags WHERE key = $1 AND experiment_id = $2", [
      key,
      row.experiment_id,
    ]);
    if (n === 0) throw experimentTagNotFound(experimentId, key);
  });
}
