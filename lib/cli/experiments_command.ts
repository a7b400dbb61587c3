/**
 * `kmlf experiments create|search|delete|restore|rename|csv`: MLflow 2.17.2's `mlflow experiments`
 * commands, with its messages, its table and its runs-to-CSV export (pandas' `search_runs` frame).
 */
import type { Experiment, MlflowClient, Run } from "../tracking/mod.ts";
import { isAbsolute, resolve } from "../path.ts";
import { experimentIdNotFound, type StoreCommandOptions, viewType, withCliStore } from "./cli_store.ts";
import { compareRows, createTable, type CsvCell, pandasUtcTimestamp, toCsv } from "./mlflow_cli_format.ts";
import { PyFloat } from "../py_json.ts";
import { writeOutputFile } from "./output_file.ts";
import { out } from "./terminal.ts";

/** Options of `kmlf experiments create`. */
export interface ExperimentsCreateOptions extends StoreCommandOptions {
  experimentName: string;
  artifactLocation?: string;
}

/** Options of `kmlf experiments search`. */
export interface ExperimentsSearchOptions extends StoreCommandOptions {
  view?: string;
}

/** Options of the `kmlf experiments` commands taking one experiment. */
export interface ExperimentIdOptions extends StoreCommandOptions {
  experimentId: string;
}

/** Options of `kmlf experiments rename`. */
export interface ExperimentsRenameOptions extends ExperimentIdOptions {
  newName: string;
}

/** Options of `kmlf experiments csv`. */
export interface ExperimentsCsvOptions extends ExperimentIdOptions {
  filename?: string;
}

/**
 * Creates an experiment; prints its id as MLflow does.
 *
 * @example
 * ```ts
 * await experimentsCreate({ experimentName: "iris", artifactLocation: "s3://bucket/iris" });
 * ```
 */
export function experimentsCreate(options: ExperimentsCreateOptions): Promise<number> {
  return withCliStore(options, async ({ client }) => {
    const id = await client.createExperiment(options.experimentName, {
      ...(options.artifactLocation === undefined ? {} : { artifactLocation: options.artifactLocation }),
    });
    out(`Created experiment '${options.experimentName}' with id ${id}`);
  }, { creates: true });
}

/**
 * Prints the experiments of `--view` as MLflow's table (Experiment Id, Name, Artifact Location).
 *
 * @example
 * ```ts
 * await experimentsSearch({ view: "all" });
 * ```
 */
export function experimentsSearch(options: ExperimentsSearchOptions): Promise<number> {
  return withCliStore(options, async ({ client }) => {
    const view = viewType(options.view);
    const experiments: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.searchExperiments({ viewType: view, maxResults: 50000, pageToken });
      experiments.push(...page.experiments);
      pageToken = page.nextPageToken;
    } while (pageToken);
    // MLflow prints a location that is not a URI as an absolute path.
    const location = (l: string) => /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(l) || isAbsolute(l) ? l : resolve(l);
    const rows = experiments.map((e) => [e.experimentId, e.name, location(e.artifactLocation)]);
    out(createTable(rows.sort(compareRows), ["Experiment Id", "Name", "Artifact Location"]));
  });
}

/**
 * Marks an experiment deleted, with its runs (restorable with `kmlf experiments restore`).
 *
 * @example
 * ```ts
 * await experimentsDelete({ experimentId: "1" });
 * ```
 */
export function experimentsDelete(options: ExperimentIdOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.deleteExperiment(options.experimentId).catch((error) => {
      throw experimentIdNotFound(error, options.experimentId, where);
    });
    out(`Experiment with ID ${options.experimentId} has been deleted.`);
  });
}

/**
 * Restores a deleted experiment and its runs.
 *
 * @example
 * ```ts
 * await experimentsRestore({ experimentId: "1" });
 * ```
 */
export function experimentsRestore(options: ExperimentIdOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.restoreExperiment(options.experimentId).catch((error) => {
      throw experimentIdNotFound(error, options.experimentId, where);
    });
    out(`Experiment with id ${options.experimentId} has been restored.`);
  });
}

/**
 * Renames an active experiment.
 *
 * @example
 * ```ts
 * await experimentsRename({ experimentId: "1", newName: "iris-v2" });
 * ```
 */
export function experimentsRename(options: ExperimentsRenameOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.renameExperiment(options.experimentId, options.newName).catch((error) => {
      throw experimentIdNotFound(error, options.experimentId, where);
    });
    out(`Experiment with id ${options.experimentId} has been renamed to '${options.newName}'.`);
  });
}

/**
 * Writes the experiment's active runs as MLflow's CSV (to `--filename`, else stdout): `run_id`,
 * `experiment_id`, `status`, `artifact_uri`, `start_time`, `end_time`, then `metrics.*`, `params.*` and
 * `tags.*` columns in the order they first appear, newest run first.
 *
 * @example
 * ```ts
 * await experimentsCsv({ experimentId: "1", filename: "runs.csv" });
 * ```
 */
export function experimentsCsv(options: ExperimentsCsvOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.getExperiment(options.experimentId).catch((error) => {
      throw experimentIdNotFound(error, options.experimentId, where);
    });
    const text = runsCsv(await allRuns(client, options.experimentId));
    if (options.filename === undefined) {
      out(text); // click.echo of the CSV: its own last line break, then echo's
      return;
    }
    await writeOutputFile("--filename", options.filename, text);
    out(
      `Experiment with ID ${options.experimentId} has been exported as a CSV to file: ${options.filename}.`,
    );
  });
}

async function allRuns(client: MlflowClient, experimentId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.searchRuns(experimentId, { maxResults: 50000, pageToken });
    runs.push(...page.runs);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return runs;
}

// The frame of MLflow's `search_runs(output_format="pandas")`, as `to_csv(index=False)` writes it.
function runsCsv(runs: readonly Run[]): string {
  const keysOf = (
    pick: (run: Run) => Record<string, unknown>,
  ) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))];
  const metrics = keysOf((r) => r.data.metrics);
  const params = keysOf((r) => r.data.params);
  const tags = keysOf((r) => r.data.tags);
  const headers = [
    "run_id",
    "experiment_id",
    "status",
    "artifact_uri",
    "start_time",
    "end_time",
    ...metrics.map((k) => `metrics.${k}`),
    ...params.map((k) => `params.${k}`),
    ...tags.map((k) => `tags.${k}`),
  ];
  const rows = runs.map((run): CsvCell[] => {
    const { info, data } = run;
    const has = (record: Record<string, unknown>, key: string) => Object.hasOwn(record, key);
    return [
      info.runId,
      info.experimentId,
      info.status,
      info.artifactUri,
      pandasUtcTimestamp(info.startTime),
      info.endTime === null ? null : pandasUtcTimestamp(info.endTime),
      ...metrics.map((k) => has(data.metrics, k) ? new PyFloat(data.metrics[k]) : null),
      ...params.map((k) => has(data.params, k) ? data.params[k] : null),
      ...tags.map((k) => has(data.tags, k) ? data.tags[k] : null),
    ];
  });
  return toCsv(headers, rows);
}
