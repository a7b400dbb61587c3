/**
 * `kmlf runs list|describe|delete|restore`: MLflow 2.17.2's `mlflow runs` commands, with its output
 * (a Date/Name/ID table, the run as `json.dumps(run.to_dictionary(), indent=4)`, its messages).
 */
import type { Run } from "../tracking/mod.ts";
import {
  experimentIdNotFound,
  runIdNotFound,
  type StoreCommandOptions,
  viewType,
  withCliStore,
} from "./cli_store.ts";
import { PyFloat, pyJsonDump } from "../py_json.ts";
import { compareRows, createTable, longDateToString } from "./mlflow_cli_format.ts";
import { out } from "./terminal.ts";

/** Options of `kmlf runs list`. */
export interface RunsListOptions extends StoreCommandOptions {
  experimentId: string;
  view?: string;
}

/** Options of the `kmlf runs` commands taking one run. */
export interface RunIdOptions extends StoreCommandOptions {
  runId: string;
}

/**
 * Prints the runs of `--experiment-id` in `--view` as MLflow's table, newest first.
 *
 * @example
 * ```ts
 * await runsList({ experimentId: "1", view: "all" });
 * ```
 */
export function runsList(options: RunsListOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    const view = viewType(options.view);
    await client.getExperiment(options.experimentId).catch((error) => {
      throw experimentIdNotFound(error, options.experimentId, where);
    });
    const rows: string[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.searchRuns(options.experimentId, {
        runViewType: view,
        maxResults: 50000,
        pageToken,
      });
      for (const run of page.runs) {
        rows.push([longDateToString(run.info.startTime), run.info.runName ?? "", run.info.runId]);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    out(createTable(rows.sort(compareRows).reverse(), ["Date", "Name", "ID"]));
  });
}

/**
 * Prints the run as MLflow's `runs describe` does: `{"info": …, "data": …, "inputs": …}`, indented by 4.
 *
 * @example
 * ```ts
 * await runsDescribe({ runId: "0a1b…" });
 * ```
 */
export function runsDescribe(options: RunIdOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    const run = await client.getRun(options.runId).catch((error) => {
      throw runIdNotFound(error, options.runId, where);
    });
    out(pyJsonDump(runDictionary(run), { indent: 4 }));
  });
}

/**
 * Marks the run deleted (restorable with `kmlf runs restore`).
 *
 * @example
 * ```ts
 * await runsDelete({ runId: "0a1b…" });
 * ```
 */
export function runsDelete(options: RunIdOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.deleteRun(options.runId).catch((error) => {
      throw runIdNotFound(error, options.runId, where);
    });
    out(`Run with ID ${options.runId} has been deleted.`);
  });
}

/**
 * Restores a deleted run.
 *
 * @example
 * ```ts
 * await runsRestore({ runId: "0a1b…" });
 * ```
 */
export function runsRestore(options: RunIdOptions): Promise<number> {
  return withCliStore(options, async ({ client, where }) => {
    await client.restoreRun(options.runId).catch((error) => {
      throw runIdNotFound(error, options.runId, where);
    });
    out(`Run with id ${options.runId} has been restored.`);
  });
}

// MLflow's `Run.to_dictionary()`: `dict(run.info)` (its properties in alphabetical order, `run_uuid` too),
// the data's latest metrics, params and tags, and the inputs. MLflow itself cannot write dataset inputs
// here (it fails with "Object of type DatasetInput is not JSON serializable"): kmlf writes them as
// MLflow's REST API does.
function runDictionary(run: Run): Record<string, unknown> {
  const i = run.info;
  const floats: Record<string, PyFloat> = {};
  for (const [key, value] of Object.entries(run.data.metrics)) floats[key] = new PyFloat(value);
  return {
    info: {
      artifact_uri: i.artifactUri,
      end_time: i.endTime,
      experiment_id: i.experimentId,
      lifecycle_stage: i.lifecycleStage,
      run_id: i.runId,
      run_name: i.runName,
      run_uuid: i.runId,
      start_time: i.startTime,
      status: i.status,
      user_id: i.userId,
    },
    data: { metrics: floats, params: run.data.params, tags: run.data.tags },
    inputs: {
      dataset_inputs: run.inputs.datasetInputs.map((input) => ({
        tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
        dataset: {
          name: input.dataset.name,
          digest: input.dataset.digest,
          source_type: input.dataset.sourceType,
          source: input.dataset.source,
          ...(input.dataset.schema === undefined ? {} : { schema: input.dataset.schema }),
          ...(input.dataset.profile === undefined ? {} : { profile: input.dataset.profile }),
        },
      })),
    },
  };
}
