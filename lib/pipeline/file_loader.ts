/**
 * Reading one pipeline file (the YAML described in loader.ts): its nodes, bound to their functions, and its
 * `pipeline:` includes, namespaced; every problem is collected, each at `file:line:column`.
 */
import { basename, dirname, join, relative, resolve } from "../path.ts";
import type { z } from "../zod/mod.ts";
import { parseLater } from "../zod/on_demand.ts";
import {
  didYouMean,
  didYouMeanHint,
  KmlfError,
  PipelineDefinitionError,
  type SourceLocation,
} from "../errors.ts";
import { type KeyPath, readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";
import { issuesToErrors, renamedKeys } from "../yaml/validate.ts";
import { applyNamespace, type MappingField } from "./namespace.ts";
import { type DatasetField, Node } from "./node.ts";
import { checkArity, checkInputKeys, resolveFunction } from "./modules.ts";
import { Pipeline } from "./pipeline.ts";
import { bindNames, IncludeEntry, NodeEntry, PipelineFile, splitRef, toList, toMapping } from "./schema.ts";
import { inferenceKeyHint, inferenceSpec, logModelAliases } from "./inference.ts";
import type { InferenceEntryValue } from "./inference_schema.ts";
import { DEFAULT } from "./pipeline_files.ts";
import { isFile } from "../fs_utils.ts";

/**
 * Loads pipeline files, collecting their problems in `problems`. Parses each file once per load; included
 * files are shared, so equal nodes merge in unions.
 *
 * @example
 * ```ts
 * const problems: KmlfError[] = [];
 * const pipeline = await new FileLoader(problems).load("/project/pipelines/training.yml", []);
 * ```
 */
export class FileLoader {
  readonly #cache = new Map<string, Promise<Pipeline | undefined>>();
  readonly #inference = new Map<string, { entry: InferenceEntryValue; src: YamlSource }>();
  // Absolute module paths by file and `func` module: thousands of nodes name the same few modules.
  readonly #modulePaths = new Map<string, string>();
  constructor(readonly problems: KmlfError[]) {}

  // A registered pipeline whose file declares `inference:` becomes kedro-mlflow's PipelineML.
  async bindInference(
    pipeline: Pipeline,
    file: string,
    name: string,
    registered: Map<string, string>,
  ): Promise<Pipeline> {
    const declared = this.#inference.get(file);
    if (!declared) return pipeline;
    const { entry, src } = declared;
    const at = (path: KeyPath) => src.locate(["inference", ...path]);
    const ref = entry.pipeline;
    const byPath = /[\/\\]|\.ya?ml$/.test(ref);
    const target = byPath ? resolve(dirname(file), ref) : registered.get(ref);
    const names = [...registered.keys()].filter((n) => n !== DEFAULT);
    const fail = (code: string, message: string, hint: string) => {
      this.problems.push(new PipelineDefinitionError(code, message, { source: at(["pipeline"]), hint }));
      return undefined;
    };
    if (target === file || ref === name) {
      return fail(
        "pipeline/inference-self",
        `Pipeline "${name}" names itself as its inference pipeline`,
        "inference.pipeline names the pipeline that predicts (e.g. inference), not the training pipeline",
      ) ?? pipeline;
    }
    if (!target || !isFile(target)) {
      return fail(
        "pipeline/inference-unknown",
        byPath
          ? `Cannot find inference pipeline file ${target}`
          : `Inference pipeline "${ref}" does not exist`,
        byPath
          ? "paths in inference.pipeline are relative to this YAML file"
          : `name a registered pipeline (${names.join(", ") || "none"}) or a ./file.yml` +
            (didYouMeanHint(ref, names) ? `; ${didYouMeanHint(ref, names)}` : ""),
      ) ?? pipeline;
    }
    const inference = await this.load(target, []);
    if (!inference) return pipeline;
    return pipeline.withInference(
      inferenceSpec(entry, { pipeline: inference, file: target, declaredIn: file, locate: at }),
    );
  }

  // Loads run one at a time, so a pending file can only be requested again by its own includes —
  // which the include stack reports as recursion before the cache is consulted.
  load(file: string, stack: string[]): Promise<Pipeline | undefined> {
    let p = this.#cache.get(file);
    if (!p) this.#cache.set(file, p = this.parse(file, stack));
    return p;
  }

  private async parse(file: string, stack: string[]): Promise<Pipeline | undefined> {
    let src: YamlSource;
    try {
      src = await readYamlFile(file, { code: "pipeline/yaml" });
    } catch (error) {
      this.problems.push(...errorsOf(error));
      return undefined;
    }
    const before = this.problems.length;
    const aliased = logModelAliases(src.value ?? {}, (path) => src.locate(path));
    if (aliased.problem) this.problems.push(aliased.problem);
    const top = await parseLater(PipelineFile, aliased.value);
    if (!top.success) {
      this.problems.push(
        ...schemaErrors(
          top.schema,
          top.error.issues,
          src,
          aliased.value,
          [],
          "pipeline file",
          aliased.writtenAs,
        ),
      );
    }
    // Node entries are still checked when only a top-level key is wrong, so all problems show at once.
    const entries = (src.value as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(entries)) return undefined;
    const fileTags = top.success ? toList(top.data.tags) : [];
    if (top.success && top.data.inference) this.#inference.set(file, { entry: top.data.inference, src });
    const nodes: Node[] = [];
    for (const [i, entry] of entries.entries()) {
      const at: KeyPath = ["nodes", i];
      if (isInclude(entry)) nodes.push(...await this.include(entry, at, src, [...stack, file], fileTags));
      else {
        const node = await this.node(entry, at, src, fileTags);
        if (node) nodes.push(node);
      }
    }
    if (this.problems.length > before) return undefined;
    try {
      return new Pipeline(nodes);
    } catch (error) {
      this.problems.push(...errorsOf(error));
      return undefined;
    }
  }

  private async node(
    entry: unknown,
    at: KeyPath,
    src: YamlSource,
    fileTags: string[],
  ): Promise<Node | undefined> {
    const parsed = await parseLater(NodeEntry, entry);
    if (!parsed.success) {
      this.problems.push(...schemaErrors(parsed.schema, parsed.error.issues, src, entry, at, "node"));
      return undefined;
    }
    const e = parsed.data;
    const [modulePath, exportName] = splitRef(e.func);
    const shortName = e.name ?? exportName;
    const name = e.namespace ? `${e.namespace}.${shortName}` : shortName;
    const inputs = bindNames(e.inputs);
    const outputs = bindNames(e.outputs);
    const confirms = toList(e.confirms);
    // Locations are computed only when an error needs one (they require re-parsing the file).
    const datasetSources = (dataset: string, only?: DatasetField): SourceLocation | undefined => {
      for (const [field, b] of [["inputs", inputs], ["outputs", outputs]] as const) {
        const j = only && only !== field ? -1 : b.names.indexOf(dataset);
        if (j >= 0) return src.locate([...at, field, ...b.pathOf(j)]);
      }
      const c = only && only !== "confirms" ? -1 : confirms.indexOf(dataset);
      if (c >= 0) return src.locate([...at, "confirms", ...(Array.isArray(e.confirms) ? [c] : [])]);
      return undefined;
    };
    const funcSource = () => src.locate([...at, "func"]);
    try {
      const module = this.#modulePath(src.file, modulePath);
      const func = await resolveFunction(
        module,
        exportName,
        e.func,
        funcSource,
      );
      checkArity(func, inputs.binding, inputs.names.length, `Node "${name}"`, funcSource);
      checkInputKeys(func, inputs.binding, `Node "${name}"`, (key) => src.locateKey([...at, "inputs", key]));
      return new Node({
        name,
        func,
        funcRef: e.func,
        funcLocation: { module, exportName },
        inputs: inputs.names,
        outputs: outputs.names,
        inputBinding: inputs.binding,
        outputBinding: outputs.outBinding,
        tags: [...toList(e.tags), ...fileTags],
        namespace: e.namespace,
        confirms,
        source: () => src.locate(at),
        datasetSources,
      });
    } catch (error) {
      if (!(error instanceof KmlfError)) throw error;
      this.problems.push(error);
      return undefined;
    }
  }

  #modulePath(file: string, modulePath: string): string {
    const key = `${file}\0${modulePath}`;
    let module = this.#modulePaths.get(key);
    if (module === undefined) {
      module = resolve(dirname(file), modulePath);
      this.#modulePaths.set(key, module);
    }
    return module;
  }

  private async include(
    entry: unknown,
    at: KeyPath,
    src: YamlSource,
    stack: string[],
    fileTags: string[],
  ): Promise<Node[]> {
    const parsed = await parseLater(IncludeEntry, entry);
    if (!parsed.success) {
      this.problems.push(
        ...schemaErrors(parsed.schema, parsed.error.issues, src, entry, at, "pipeline include"),
      );
      return [];
    }
    const e = parsed.data;
    const target = resolve(dirname(src.file), e.pipeline);
    const source = src.locate([...at, "pipeline"]);
    if (stack.includes(target)) {
      const chain = [...stack.slice(stack.indexOf(target)), target].map((f) => basename(f)).join(" -> ");
      this.problems.push(
        new PipelineDefinitionError(
          "pipeline/recursive-include",
          `Pipeline ${target} includes itself (${chain})`,
          {
            source,
            hint: "remove the circular `pipeline:` reference",
          },
        ),
      );
      return [];
    }
    if (!isFile(target)) {
      const guess = siblingGuess(target);
      this.problems.push(
        new PipelineDefinitionError("pipeline/include-not-found", `Cannot find included pipeline ${target}`, {
          source,
          hint: guess
            ? `did you mean "${relativeRef(dirname(src.file), guess)}"?`
            : "paths in `pipeline:` are relative to the including YAML file",
        }),
      );
      return [];
    }
    const included = await this.load(target, stack);
    if (!included) return [];
    const locate = (field: MappingField, key: string): SourceLocation => {
      const raw = e[field];
      if (typeof raw === "string") return src.locate([...at, field]);
      if (Array.isArray(raw)) return src.locate([...at, field, Math.max(0, raw.indexOf(key))]);
      return src.locateKey([...at, field, key]);
    };
    const { nodes, problems } = applyNamespace(included, {
      namespace: e.namespace,
      inputs: toMapping(e.inputs),
      outputs: toMapping(e.outputs),
      parameters: toMapping(e.parameters),
      tags: [...toList(e.tags), ...fileTags],
      prefixDatasets: e.prefix_datasets_with_namespace,
      source: src.locate(at),
      locate,
    });
    this.problems.push(...problems);
    return nodes;
  }
}

// An entry is an include when it says `pipeline:` — or misspells it and has no `func:`, so the
// unknown-key error can suggest "pipeline".
function isInclude(entry: unknown): boolean {
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) return false;
  if ("pipeline" in entry) return true;
  return !("func" in entry) && Object.keys(entry).some((k) => didYouMean(k, ["pipeline"]) !== undefined);
}

// Schema problems are pipeline definition errors, whatever the generic YAML validator calls them.
function schemaErrors(
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
  src: YamlSource,
  value: unknown,
  basePath: KeyPath,
  what: string,
  writtenAs?: ReadonlyArray<readonly [KeyPath, KeyPath]>,
): KmlfError[] {
  return issuesToErrors(schema, issues, src, {
    writtenAs: writtenAs && renamedKeys(writtenAs),
    value,
    code: "pipeline/schema",
    what,
    basePath,
    unknownKeyHint: inferenceKeyHint,
    notInterpolated: true,
  }).map(
    asPipelineError,
  );
}

function asPipelineError(e: KmlfError): KmlfError {
  if (e instanceof PipelineDefinitionError) return e;
  return new PipelineDefinitionError(e.code, e.message, { source: e.source, hint: e.hint, cause: e.cause });
}

/**
 * The KmlfErrors of a thrown `error` (an aggregate's one by one), as pipeline definition errors; anything
 * else is rethrown.
 *
 * @example
 * ```ts
 * problems.push(...errorsOf(error));
 * ```
 */
export function errorsOf(error: unknown): KmlfError[] {
  if (!(error instanceof KmlfError)) throw error;
  const list = (error as KmlfError & { errors?: readonly KmlfError[] }).errors ?? [error];
  return list.map(asPipelineError);
}

function siblingGuess(target: string): string | undefined {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(dirname(target))) if (/\.ya?ml$/.test(e.name)) names.push(e.name);
  } catch {
    return undefined;
  }
  const guess = didYouMean(basename(target), names);
  return guess === undefined ? undefined : join(dirname(target), guess);
}

function relativeRef(from: string, to: string): string {
  const rel = relative(from, to);
  return rel.startsWith(".") ? rel : `./${rel}`;
}
