/**
 * A run that stops on a missing input (`dataset/file-not-found`, a versioned dataset with no version, a
 * partitioned one with no partition) names what makes it: the catalog only knows "run the node that
 * produces this dataset first", while the session knows the registered pipelines, so it says which pipeline
 * and node save the dataset (`kmlf run inference` before any `kmlf run training`).
 *
 * @module
 */
import { DatasetError, KmlfError } from "../errors.ts";
import { isParameter, transcodeBase } from "../dataset_names.ts";
import type { Catalog } from "../catalog/mod.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { PipelineRunError } from "../runner/mod.ts";

/** What {@link withProducerHint} looks at: the run's pipelines and what else is registered. */
export interface ProducerHintContext {
  /** The pipelines the run was asked for. */
  names: string[];
  /** Their nodes before any filter (`--from-nodes` may have left a producer out). */
  full: Pipeline;
  /** The nodes that ran. */
  pipeline: Pipeline;
  catalog: Catalog;
  registered: () => Promise<Record<string, Pipeline>>;
}

/**
 * `error` with a hint naming the pipeline(s) and node that save the missing dataset, when it is a node's
 * `dataset/file-not-found` and some pipeline produces that dataset; else `error` itself.
 *
 * @example
 * ```ts
 * throw await withProducerHint(error, { names: ["inference"], full, pipeline, catalog, registered });
 * // hint: run `kmlf run --pipeline training` first: its node "train_model" saves "model" …
 * ```
 */
export async function withProducerHint(error: unknown, context: ProducerHintContext): Promise<unknown> {
  if (!(error instanceof PipelineRunError) || !(error.code in GENERIC_HINTS)) return error;
  const node = context.pipeline.nodes.find((n) => n.name === error.failedNode);
  if (!node) return error;
  const dataset = await missingInput(node, context);
  if (dataset === undefined) return error;
  const where = await producers(dataset, context);
  if (!where) return error;
  return new PipelineRunError(error.message, {
    failedNode: error.failedNode,
    completedNodes: [...error.completedNodes],
    resumeFromNodes: [...error.resumeFromNodes],
    code: error.code,
    raised: error.raised,
  }, {
    cause: withoutGenericHint(error.cause),
    source: error.source,
    hint: `${where} (or check its ${
      error.code === "dataset/no-partitions" ? "path" : "filepath"
    } in the catalog)`,
    userCode: error.userCode,
  });
}

// The codes of a missing input, with the datasets' own hints this one replaces (not printed under it); a
// more specific hint (a partitioned dataset's filename_suffix) is kept.
const GENERIC_HINTS: Record<string, string[]> = {
  "dataset/file-not-found": [
    "check filepath in the catalog, or run the node that produces this dataset first",
    "check filepath in the catalog, or run the node that saves this model first",
  ],
  "dataset/no-versions": ["run the node that saves it first, or pin one with --load-versions name:version"],
  "dataset/no-partitions": ["save the partitions first"],
};

function withoutGenericHint(cause: unknown): unknown {
  if (!(cause instanceof DatasetError) || !GENERIC_HINTS[cause.code]?.includes(cause.hint ?? "")) {
    return cause;
  }
  return new DatasetError(cause.code, cause.message, { source: cause.source, cause: cause.cause });
}

// The failed node's input no node of this run saves: the only one, else the first the catalog lacks.
async function missingInput(node: Node, context: ProducerHintContext): Promise<string | undefined> {
  const free = context.pipeline.inputs();
  const candidates = [...new Set(node.inputs)].filter((name) => free.has(name) && !isParameter(name));
  if (candidates.length <= 1) return candidates[0];
  for (const name of candidates) {
    try {
      if (!(await context.catalog.exists(name))) return name;
    } catch {
      // A dataset that cannot say is not the one to name.
    }
  }
  return undefined;
}

function savers(pipeline: Pipeline, dataset: string): string[] {
  const base = transcodeBase(dataset);
  return pipeline.nodes.filter((n) => n.outputs.some((o) => transcodeBase(o) === base)).map((n) => n.name);
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

// "run `kmlf run --pipeline training` first: its node "train_model" saves "model"", or, when a filter left
// the producer out of this run, the node to run.
async function producers(dataset: string, context: ProducerHintContext): Promise<string | undefined> {
  const inRun = savers(context.full, dataset);
  if (inRun.length) {
    return `node ${quoted(inRun)} of this run's pipeline saves "${dataset}" but the filters left it out: ` +
      `run it first (--nodes ${inRun[0]})`;
  }
  let registered: Record<string, Pipeline> = {};
  try {
    registered = await context.registered();
  } catch (problem) {
    // A broken other pipeline must not hide the run's own error.
    if (!(problem instanceof KmlfError)) throw problem;
  }
  const found = Object.entries(registered)
    .filter(([name]) => !context.names.includes(name))
    .map(([name, pipeline]) => ({ name, nodes: savers(pipeline, dataset) }))
    .filter((p) => p.nodes.length > 0);
  // __default__ only when no named pipeline saves it (it is usually the sum of the others).
  const named = found.filter((p) => p.name !== "__default__");
  const shown = named.length ? named : found;
  if (!shown.length) return undefined;
  const commands = shown.map((p) =>
    p.name === "__default__" ? "`kmlf run`" : `\`kmlf run --pipeline ${p.name}\``
  );
  const nodes = [...new Set(shown.flatMap((p) => p.nodes))];
  return `run ${commands.join(" or ")} first: its node${nodes.length > 1 ? "s" : ""} ${quoted(nodes)} save${
    nodes.length > 1 ? "" : "s"
  } "${dataset}"`;
}
