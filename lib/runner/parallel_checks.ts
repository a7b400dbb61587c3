/**
 * What the parallel runner refuses before any node runs, each problem naming the node, the dataset and a
 * fix: functions a worker cannot import, memory datasets whose `copy_mode: assign` promises one shared
 * object to nodes that run in separate workers (or whose `copy_mode: copy` shares nested objects between
 * readers), and known values (parameters, pre-filled memory datasets)
 * that cannot be copied to a worker.
 */
import type { Catalog } from "../catalog/mod.ts";
import { MemoryDataset } from "../catalog/datasets/memory_dataset.ts";
import { isPartitionedDataset } from "../catalog/datasets/partitioned_brand.ts";
import { DatasetError, type KmlfError, PipelineDefinitionError, throwIfAny } from "../errors.ts";
import { isParameter, type Node, type Pipeline } from "../pipeline/mod.ts";
import { consequence, CROSSING_HINT, inspectCrossing } from "./crossing.ts";

const SUMMARY = "Cannot run the pipeline with --runner parallel";

/**
 * Every node must name its function as `module#export` so a worker can import it.
 *
 * @example
 * ```ts
 * checkImportable(pipeline); // throws runner/not-importable for nodes built in code
 * ```
 */
export function checkImportable(pipeline: Pipeline): void {
  const problems = pipeline.nodes.filter((n) => !n.funcLocation).map((node) =>
    new PipelineDefinitionError(
      "runner/not-importable",
      `Node "${node.name}" cannot run in a worker: its function (${node.funcRef}) is not an export of a module file`,
      {
        source: node.source,
        hint:
          "declare the node in a pipeline YAML with func: ./module.ts#export, or run with --runner thread or sequential",
      },
    )
  );
  throwIfAny(problems, SUMMARY);
}

/** What the parallel runner learns about the pipeline's datasets before the run. */
export interface CrossingPlan {
  /** Loads are private copies (deep-copying memory datasets): their ArrayBuffers may be transferred. */
  privateCopies: Set<string>;
  /** Partitioned datasets: their lazy loaders stay on the main thread and load on a worker's request. */
  partitioned: Set<string>;
}

/**
 * Materializes the pipeline's datasets, refuses what cannot cross, and says how each may cross.
 *
 * @example
 * ```ts
 * const { privateCopies, partitioned } = await checkCrossings(pipeline, catalog);
 * ```
 */
export async function checkCrossings(pipeline: Pipeline, catalog: Catalog): Promise<CrossingPlan> {
  checkImportable(pipeline);
  const problems: KmlfError[] = [];
  const privateCopies = new Set<string>();
  const partitioned = new Set<string>();
  const freeInputs = pipeline.inputs();
  const usersOf = new Map<string, Node[]>();
  for (const node of pipeline.nodes) {
    for (const name of new Set([...node.inputs, ...node.outputs])) {
      const users = usersOf.get(name);
      users ? users.push(node) : usersOf.set(name, [node]);
    }
  }
  for (const name of [...pipeline.datasets()].sort()) {
    const dataset = await catalog.get(name, { fallbackToRuntimePattern: true });
    if (isPartitionedDataset(dataset)) partitioned.add(name);
    if (!(dataset instanceof MemoryDataset)) continue;
    const mode = dataset.copyMode ?? "deepcopy";
    if (mode === "deepcopy") privateCopies.add(name);
    const users = usersOf.get(name) ?? [];
    if (mode === "assign" && users.length > 1 && !isParameter(name)) {
      problems.push(sharedAssign(name, users, catalog));
      continue;
    }
    // A shallow copy per load shares what the value holds between its readers on one thread (a reader that
    // changes a nested list changes the others'); workers get separate deep copies, so results would differ.
    const readers = users.filter((n) => n.inputs.includes(name));
    if (mode === "copy" && readers.length > 1 && !isParameter(name)) {
      problems.push(sharedCopy(name, readers, catalog));
      continue;
    }
    if (freeInputs.has(name) && (await dataset.exists())) {
      const problem = inspectCrossing(await dataset.load(), { transfer: false }).problem;
      const reader = users[0];
      if (problem && reader) problems.push(knownValueCannotCross(name, reader, problem, catalog));
    }
  }
  throwIfAny(problems, SUMMARY);
  return { privateCopies, partitioned };
}

function sharedAssign(name: string, users: Node[], catalog: Catalog): DatasetError {
  const names = users.map((n) => `"${n.name}"`);
  const list = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return new DatasetError(
    "runner/shared-assign",
    `Dataset "${name}" (memory, copy_mode: assign) is shared by nodes ${list}, which run in separate workers under --runner parallel: each would get its own copy, not the same object`,
    {
      source: catalog.sourceOf(name) ?? users[0].inputSource(name),
      hint:
        "remove copy_mode: assign from its catalog entry (the data then crosses as a copy), or run with --runner thread (one thread, shared objects)",
    },
  );
}

function sharedCopy(name: string, readers: Node[], catalog: Catalog): DatasetError {
  const names = readers.map((n) => `"${n.name}"`);
  const list = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return new DatasetError(
    "runner/shared-assign",
    `Dataset "${name}" (memory, copy_mode: copy) is read by nodes ${list}, whose shallow copies share its nested objects on one thread but not in the separate workers of --runner parallel: a change one makes inside it would reach the others only under sequential and thread`,
    {
      source: catalog.sourceOf(name) ?? readers[0].inputSource(name),
      hint:
        "remove copy_mode: copy from its catalog entry (each reader then gets its own deep copy under every runner), or run with --runner thread",
    },
  );
}

function knownValueCannotCross(
  name: string,
  reader: Node,
  problem: { path: string; what: string },
  catalog: Catalog,
): DatasetError {
  const where = problem.path ? `${name}${problem.path}` : "it";
  return new DatasetError(
    "runner/cannot-cross",
    `Input "${name}" of node "${reader.name}" cannot be sent to a worker: ${where} is ${problem.what}, ${
      consequence(problem)
    }`,
    { source: reader.inputSource(name, "inputs") ?? catalog.sourceOf(name), hint: CROSSING_HINT },
  );
}
