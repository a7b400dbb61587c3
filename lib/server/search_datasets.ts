/**
 * `ajax-api/2.0/mlflow/experiments/search-datasets`: the distinct datasets (name, digest, and the
 * `mlflow.data.context` input tag) that runs of up to 20 experiments used, which the MLflow UI
 * lists beside an experiment's runs. MLflow answers it for SQL stores only; kmlf for every store.
 *
 * @module
 */
import { mlflowError } from "../tracking/mod.ts";
import type { ProtoMessage } from "./request/proto_parse.ts";
import type { ServerContext } from "./server_context.ts";

const MAX_EXPERIMENT_IDS = 20;
const MAX_SUMMARIES = 1000;

/** One dataset summary as MLflow's `DatasetSummary` message. */
interface DatasetSummaryWire {
  experiment_id: string;
  name: string;
  digest: string;
  context?: string;
}

/**
 * The RPC handler.
 *
 * @example
 * ```ts
 * await searchDatasets(ctx, message); // { dataset_summaries: [{ experiment_id: "1", name: "iris", digest: "…", context: "training" }] }
 * ```
 */
export async function searchDatasets(ctx: ServerContext, m: ProtoMessage): Promise<unknown> {
  const experimentIds = m.list<string>("experiment_ids");
  if (experimentIds.length === 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "SearchDatasets request must specify at least one experiment_id.",
    );
  }
  if (experimentIds.length > MAX_EXPERIMENT_IDS) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `SearchDatasets request cannot specify more than ${MAX_EXPERIMENT_IDS} experiment_ids. Received ${experimentIds.length} experiment_ids.`,
    );
  }
  const seen = new Set<string>();
  const summaries: DatasetSummaryWire[] = [];
  let pageToken: string | undefined;
  do {
    const page = await ctx.store.searchRuns({
      experimentIds,
      runViewType: "ALL",
      maxResults: 1000,
      pageToken,
    });
    for (const run of page.runs) {
      for (const input of run.inputs.datasetInputs) {
        const context = input.tags["mlflow.data.context"];
        const summary: DatasetSummaryWire = {
          experiment_id: run.info.experimentId,
          name: input.dataset.name,
          digest: input.dataset.digest,
          ...(context === undefined ? {} : { context }),
        };
        const key = JSON.stringify(summary);
        if (seen.has(key) || summaries.length >= MAX_SUMMARIES) continue;
        seen.add(key);
        summaries.push(summary);
      }
    }
    pageToken = page.nextPageToken;
  } while (pageToken && summaries.length < MAX_SUMMARIES);
  return summaries.length ? { dataset_summaries: summaries } : {};
}
