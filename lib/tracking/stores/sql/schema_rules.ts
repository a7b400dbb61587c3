/**
 * What kmlf requires of an MLflow database, whatever the engine: the alembic revision it writes (MLflow
 * 2.17.2's head), the revisions before it, and the tables and columns it reads and writes. Newer MLflow
 * schemas (extra tables and columns) are accepted.
 *
 * @module
 */
import { TrackingError } from "../../../errors.ts";

/**
 * The alembic revision of MLflow 2.17.2 ("increase run tag value limit to 8000").
 *
 * @example
 * ```ts
 * db.prepare("SELECT version_num FROM alembic_version").get(); // { version_num: ALEMBIC_REVISION }
 * ```
 */
export const ALEMBIC_REVISION = "f5a4f2784254";

/**
 * MLflow's migrations before 2.17.2's head, oldest first. A database at one of these is out of date:
 * MLflow refuses it until `mlflow db upgrade`, and so does kmlf.
 */
export const OLDER_REVISIONS: readonly string[] = [
  "451aebb31d03",
  "90e64c465722",
  "181f10493468",
  "df50e92ffc5e",
  "7ac759974ad8",
  "89d4b8295536",
  "2b4d017a5e9b",
  "cfd24bdc0731",
  "0a8213491aaa",
  "728d730b5ebd",
  "27a6a02d2cf1",
  "84291f40a231",
  "a8c4a736bde6",
  "39d1c3be5f05",
  "c48cb773bb87",
  "bd07f7e963c5",
  "0c779009ac13",
  "cc1f77228345",
  "97727af70f4d",
  "3500859a5d39",
  "7f2a7d5fae7d",
  "2d6e25af4d3e",
  "acf3f17fdcc7",
  "867495a8f9d4",
  "5b0e9adcef9c",
  "4465047574b1",
];

/** Columns kmlf reads and writes, per table. */
export const REQUIRED_COLUMNS: Record<string, string[]> = {
  experiments: [
    "experiment_id",
    "name",
    "artifact_location",
    "lifecycle_stage",
    "creation_time",
    "last_update_time",
  ],
  experiment_tags: ["key", "value", "experiment_id"],
  runs: [
    "run_uuid",
    "name",
    "source_type",
    "source_name",
    "entry_point_name",
    "user_id",
    "status",
    "start_time",
    "end_time",
    "deleted_time",
    "source_version",
    "lifecycle_stage",
    "artifact_uri",
    "experiment_id",
  ],
  metrics: ["key", "value", "timestamp", "run_uuid", "step", "is_nan"],
  latest_metrics: ["key", "value", "timestamp", "step", "is_nan", "run_uuid"],
  params: ["key", "value", "run_uuid"],
  tags: ["key", "value", "run_uuid"],
};

/** Tables holding dataset inputs (MLflow ≥ 2.4). */
export const INPUT_TABLES = ["datasets", "inputs", "input_tags"];

/**
 * What is missing from a database's tables (table name → its column names) for kmlf to use it.
 *
 * @example
 * ```ts
 * schemaProblems(new Map([["runs", new Set(["run_uuid"])]])); // ["table experiments is missing", …]
 * ```
 */
export function schemaProblems(tables: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
    const have = tables.get(table);
    if (!have) {
      problems.push(`table ${table} is missing`);
      continue;
    }
    const missing = columns.filter((c) => !have.has(c));
    if (missing.length) problems.push(`table ${table} lacks column(s) ${missing.join(", ")}`);
  }
  return problems;
}

/**
 * Refuses a database kmlf cannot write as MLflow 2.17.2 would, whatever the engine: missing core tables or
 * columns, no alembic revision, or a revision before 2.17.2's head (MLflow refuses those as
 * "out-of-date" until `mlflow db upgrade`). A revision kmlf does not know comes from a newer MLflow, whose
 * schema keeps every column kmlf uses (checked here), so it is accepted.
 *
 * @example
 * ```ts
 * verifySchema({ where: "mlflow.db", uri: "sqlite:///mlflow.db" }, tables, "f5a4f2784254"); // passes
 * ```
 */
export function verifySchema(
  where: SchemaLocation,
  tables: ReadonlyMap<string, ReadonlySet<string>>,
  revision: string | undefined,
): void {
  const problems = schemaProblems(tables);
  if (revision === undefined) {
    problems.push(
      tables.has("alembic_version")
        ? "table alembic_version holds no revision"
        : "table alembic_version is missing",
    );
  }
  if (problems.length > 0 || OLDER_REVISIONS.includes(revision!)) {
    throw unsupportedSchema(where, revision, problems);
  }
}

/** A database as messages name it (`where`) and as `mlflow db upgrade` takes it (`uri`). */
export interface SchemaLocation {
  where: string;
  uri: string;
}

/**
 * The error for a database whose schema kmlf cannot use: MLflow's "out-of-date database schema"
 * wording for an older revision, else the missing tables and columns.
 *
 * @example
 * ```ts
 * throw unsupportedSchema({ where: "postgresql://db/mlflow", uri: "postgresql://db/mlflow" }, "2d6e25af4d3e", []);
 * ```
 */
export function unsupportedSchema(
  location: SchemaLocation,
  revision: string | undefined,
  problems: string[],
): TrackingError {
  const { where, uri } = location;
  const upgrade = `upgrade it with 'mlflow db upgrade ${uri}' (kmlf writes revision ${ALEMBIC_REVISION})`;
  if (revision !== undefined && OLDER_REVISIONS.includes(revision)) {
    return new TrackingError(
      "tracking/unsupported-schema",
      `Cannot use ${where}: detected out-of-date database schema (found version ${revision}, but expected ` +
        `${ALEMBIC_REVISION})`,
      { hint: `take a backup of the database, then ${upgrade}` },
    );
  }
  return new TrackingError(
    "tracking/unsupported-schema",
    `Cannot use ${where}: its MLflow schema (revision ${revision ?? "unknown"}) is too old or damaged: ` +
      problems.join("; "),
    { hint: upgrade },
  );
}
