/**
 * Pre-run checks that every free input of a pipeline can be loaded, reporting all gaps at once. The
 * session runs them before a run starts (so a tracked run is never created just to fail them); the
 * runner repeats the cheap part.
 */
import type { Catalog } from "../catalog/mod.ts";
import { DatasetError, didYouMeanHint, KmlfAggregateError, KmlfError, throwIfAny } from "../errors.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { transcodeBase } from "../dataset_names.ts";

/**
 * Throws when a free input is neither produced by a node, declared in the catalog (or matched by a
 * factory pattern), nor a defined parameter. Each problem points at the node input in the YAML.
 *
 * @example
 * ```ts
 * checkFreeInputs(pipeline, catalog);
 * ```
 */
export function checkFreeInputs(pipeline: Pipeline, catalog: Catalog): void {
  throwIfAny(freeInputProblems(pipeline, catalog), "Cannot run the pipeline");
}

/**
 * Everything {@link checkFreeInputs} checks, plus free inputs with no data yet: kept in memory and made by
 * nodes of `full` (the pipeline before `--from-nodes`, `--nodes`… filtered it) that this run leaves out,
 * and `--load-versions` pins (`loadVersions`) of datasets the run reads that name no saved version.
 * Throws all problems together.
 *
 * @example
 * ```ts
 * await checkRunnable(filtered, catalog, { full, loadVersions: { model: "2024-01-15T10.30.00.000Z" } });
 * ```
 */
export async function checkRunnable(
  pipeline: Pipeline,
  catalog: Catalog,
  options: { full: Pipeline; loadVersions?: Record<string, string> },
): Promise<void> {
  await buildPatternDatasets(pipeline, catalog);
  const problems: DatasetError[] = [];
  const ran = new Set(pipeline.nodes);
  const unresolved = new Set<string>();
  for (const name of [...pipeline.inputs()].sort()) {
    if (name === "parameters" || name.startsWith("params:")) continue;
    const producers = options.full.nodes.filter((n) => n.outputs.includes(name) && !ran.has(n));
    const inMemory = !catalog.has(name) || catalog.isEphemeral(name);
    if (producers.length === 0 || !inMemory || (catalog.has(name) && await catalog.exists(name))) continue;
    unresolved.add(name);
    const consumers = pipeline.nodes.filter((n) => n.inputs.includes(name));
    const node = consumers[0];
    const producer = producers.map((n) => n.name).join(", ");
    problems.push(
      new DatasetError(
        "runner/input-not-persisted",
        `Input "${name}" of node${consumers.length > 1 ? "s" : ""} ${
          consumers.map((n) => `"${n.name}"`).join(", ")
        } has no data: it is kept in ` +
          `memory and made by node "${producer}", which this run leaves out`,
        {
          source: node?.inputSource(name) ?? node?.source,
          hint: `run "${producer}" too (e.g. --from-nodes ${producers[0].name}), or persist "${name}" in ` +
            `${catalog.catalogFile()} (e.g. type: pickle) so that later runs can start after it`,
        },
      ),
    );
  }
  problems.push(...freeInputProblems(pipeline, catalog).filter((p) => !unresolved.has(p.inputName)));
  problems.push(...transcodedInMemoryProblems(pipeline, catalog));
  problems.push(...await confirmsProblems(pipeline, catalog));
  problems.push(...await pinnedVersionProblems(pipeline, catalog, options.loadVersions ?? {}));
  throwIfAny(problems, "Cannot run the pipeline");
}

// A pinned version is read as it is (the run saves under its own new version): one that was never saved
// would fail the first node reading it, after a tracked run had been started and earlier nodes had run.
async function pinnedVersionProblems(
  pipeline: Pipeline,
  catalog: Catalog,
  loadVersions: Record<string, string>,
): Promise<DatasetError[]> {
  const problems: DatasetError[] = [];
  const pins = Object.entries(loadVersions);
  if (pins.length === 0) return problems;
  const read = new Set(pipeline.nodes.flatMap((n) => n.inputs));
  for (const [name, version] of pins) {
    if (!read.has(name) || !catalog.has(name)) continue;
    const dataset = await catalog.get(name);
    if (typeof dataset.listVersions !== "function" || await dataset.exists()) continue;
    const available = await dataset.listVersions();
    problems.push(
      new DatasetError(
        "dataset/version-not-found",
        `--load-versions pins "${name}" to version ${version}, which was never saved`,
        {
          source: catalog.sourceOf(name),
          hint: available.length
            ? `pick one of its versions, newest first: ${available.slice(0, 10).join(", ")}` +
              `${
                available.length > 10 ? ", …" : ""
              }; or drop "${name}" from --load-versions to read the newest`
            : `"${name}" has no saved version yet: drop it from --load-versions and run the node that saves it`,
        },
      ),
    );
  }
  return problems;
}

// `confirms:` names a dataset whose confirm() runs after the node succeeds: an unknown name or a dataset
// without confirm() would fail the run only after the node's work is done.
async function confirmsProblems(pipeline: Pipeline, catalog: Catalog): Promise<DatasetError[]> {
  const problems: DatasetError[] = [];
  const used = pipeline.datasets();
  for (const node of pipeline.nodes) {
    for (const name of node.confirms) {
      const source = node.inputSource(name, "confirms");
      if (!catalog.has(name) && !used.has(name)) {
        problems.push(
          new DatasetError(
            "catalog/unknown-dataset",
            `Dataset "${name}" confirmed by node "${node.name}" is not in the catalog`,
            {
              source,
              hint:
                `declare it in ${catalog.catalogFile()} (with a type that has confirm()), or fix the name` +
                (didYouMeanHint(name, catalog.names()) ? `; ${didYouMeanHint(name, catalog.names())}` : ""),
            },
          ),
        );
        continue;
      }
      const dataset = catalog.has(name) ? await catalog.get(name) : undefined;
      if (typeof dataset?.confirm === "function") continue;
      problems.push(
        new DatasetError(
          "catalog/no-confirm",
          `Dataset "${name}" confirmed by node "${node.name}" (${
            catalog.typeName(name)
          }) has no confirm() method`,
          {
            source,
            hint: "remove it from the node's confirms:, or use a dataset type that supports confirm",
          },
        ),
      );
    }
  }
  return problems;
}

// `x@a` written and `x@b` read are two catalog entries that share data only through their file: when
// either is kept in memory, the reader would find nothing (or a stale file), so refuse it before the run.
function transcodedInMemoryProblems(pipeline: Pipeline, catalog: Catalog): DatasetError[] {
  const problems: DatasetError[] = [];
  const writers = new Map<string, { name: string; node: string }>();
  for (const node of pipeline.nodes) {
    for (const o of node.outputs) {
      if (o.includes("@")) writers.set(transcodeBase(o), { name: o, node: node.name });
    }
  }
  for (const node of pipeline.nodes) {
    for (const input of node.inputs) {
      const writer = writers.get(transcodeBase(input));
      if (!input.includes("@") || !writer || writer.name === input) continue;
      const inMemory = [writer.name, input].filter((n) => !catalog.has(n) || catalog.isEphemeral(n));
      if (inMemory.length === 0) continue;
      problems.push(
        new DatasetError(
          "runner/transcoded-in-memory",
          `Input "${input}" of node "${node.name}" is written as "${writer.name}" by node "${writer.node}", ` +
            `but ${inMemory.map((n) => `"${n}"`).join(" and ")} ${
              inMemory.length > 1 ? "are" : "is"
            } kept in memory`,
          {
            source: node.inputSource(input),
            hint: `transcoded datasets share data through their file: declare both "${writer.name}" and ` +
              `"${input}" in ${catalog.catalogFile()} with the same filepath`,
          },
        ),
      );
    }
  }
  return problems;
}

// A factory pattern's dataset is built on first use, which for an output is during the run: build them all
// now, so that a broken pattern entry (a missing argument, unknown credentials) is reported, every one,
// before a tracked run is started rather than as a failed run.
async function buildPatternDatasets(pipeline: Pipeline, catalog: Catalog): Promise<void> {
  const problems: KmlfError[] = [];
  for (const name of [...pipeline.datasets()].sort()) {
    if (name === "parameters" || name.startsWith("params:") || !catalog.has(name)) continue;
    try {
      await catalog.get(name);
    } catch (error) {
      if (!(error instanceof KmlfError)) throw error;
      problems.push(...(error instanceof KmlfAggregateError ? error.errors : [error]));
    }
  }
  throwIfAny(problems, "Invalid catalog");
}

function freeInputProblems(pipeline: Pipeline, catalog: Catalog): (DatasetError & { inputName: string })[] {
  const problems: (DatasetError & { inputName: string })[] = [];
  const known = [...catalog.names(), ...pipeline.allOutputs()];
  for (const name of [...pipeline.inputs()].sort()) {
    if (catalog.has(name)) continue;
    const consumers = pipeline.nodes.filter((n) => n.inputs.includes(name));
    const node = consumers[0];
    const source = node?.inputSource(name) ?? node?.source;
    const nodeList = (consumers.length > 1 ? "s " : " ") + consumers.map((n) => `"${n.name}"`).join(", ");
    if (name === "parameters" || name.startsWith("params:")) {
      const key = name.slice("params:".length);
      const params = catalog.names().filter((n) => n.startsWith("params:")).map((n) => n.slice(7));
      const guess = didYouMeanHint(key, params);
      // A namespace prefixes params: too; the usual fix is to keep the shared name in the include.
      const from = node?.namespacedFrom(name);
      const bare = from?.key.slice("params:".length);
      const at = from?.include?.file
        ? ` (at ${from.include.file}:${from.include.line ?? "?"}:${from.include.column ?? "?"})`
        : "";
      const hint = bare !== undefined && params.includes(bare)
        ? `namespace "${
          from!.namespace
        }" turned params:${bare} into params:${key}: add parameters: [${bare}] ` +
          `to the pipeline include that sets namespace: ${from!.namespace}${at} (to share params:${bare}), ` +
          `or define "${key}" in ${catalog.parameterFileFor(key)}`
        : catalog.parameterHint(key) + (guess ? `; ${guess}` : "");
      problems.push(
        named(
          name,
          new DatasetError(
            "runner/unknown-parameter",
            `Parameter "${key}" used by node${nodeList} is not defined`,
            { source, hint },
          ),
        ),
      );
      continue;
    }
    const guess = didYouMeanHint(name, known);
    problems.push(
      named(
        name,
        new DatasetError(
          "runner/missing-input",
          `Input "${name}" of node${nodeList} is not produced by any node and not declared in the catalog`,
          {
            source,
            hint: (namespacedInputHint(node, name, catalog.catalogFile()) ??
              `declare "${name}" in ${catalog.catalogFile()}, produce it with a node, or fix the name`) +
              (guess ? `; ${guess}` : ""),
          },
        ),
      ),
    );
  }
  return problems;
}

// A free input of an included pipeline that its include's namespace prefixed (`raw` → `c.raw`): the usual
// fix is mapping it on the include, which is where the hint points.
function namespacedInputHint(node: Node | undefined, name: string, catalogFile: string): string | undefined {
  const from = node?.namespacedFrom(name);
  if (!from) return undefined;
  const s = from.include;
  const at = s?.file ? ` at ${s.file}:${s.line ?? "?"}:${s.column ?? "?"}` : "";
  return `namespace "${from.namespace}" turned input "${from.key}" of the included pipeline into "${name}": ` +
    `map it on the include${at} (inputs: { ${from.key}: <dataset> }), or declare "${name}" in ${catalogFile}`;
}

function named(inputName: string, error: DatasetError): DatasetError & { inputName: string } {
  return Object.assign(error, { inputName });
}
