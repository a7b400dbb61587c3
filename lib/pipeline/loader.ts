/**
 * Pipelines declared in YAML whose nodes reference TypeScript functions. Every top-level
 * `<pipelines_dir>/<name>.yml` is the registered pipeline `<name>`; subfolders hold node modules and
 * reusable pieces. `__default__` is the union of all pipelines unless `__default__.yml` declares it.
 *
 * ```yaml
 * tags: [demo]                                   # optional, added to every node of this file
 * nodes:
 *   - name: split_data                           # unique; defaults to the export name; ^[\w.-]+$
 *     func: ./iris/nodes.ts#splitData            # module relative to THIS file, then the export
 *     inputs: [iris, params:split]               # list → positional arguments; a string → one argument
 *     outputs: [X_train, X_test]                 # list → returns an array; a string → the whole value
 *     tags: [preprocessing]                      # ^[\w.-]+$
 *     namespace: prep                            # optional: the node is named prep.split_data
 *     confirms: [iris]                           # optional: datasets confirmed after the node succeeds
 *   - name: train_model
 *     func: ./iris/nodes.ts#trainModel           # functions may be async
 *     inputs: {features: X_train, options: params:model}   # map → one object argument
 *     outputs: {model: model, history: train_history}      # map → keys of the returned object
 *   - pipeline: ./reusable.yml                   # modular reuse of another file (relative to this one)
 *     namespace: dp                              # prefixes node names, datasets and params: (not `parameters`)
 *     inputs: {raw: iris}                        # free inputs of reusable.yml → names here (kept, not prefixed)
 *     outputs: {clean: iris_clean}               # outputs of reusable.yml → names here
 *     parameters: {cfg: dp_cfg}                  # params:cfg(.…) → params:dp_cfg(.…)
 *     tags: [dp]
 * ```
 *
 * Modules are imported by file URL, once per path. Everything is validated before anything runs and
 * every problem is reported together, each at `file:line:column`.
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import type { z } from "../zod/mod.ts";
import {
  didYouMean,
  didYouMeanHint,
  KmlfError,
  PipelineDefinitionError,
  type SourceLocation,
  throwIfAny,
} from "../errors.ts";
import { type KeyPath, readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";
import { issuesToErrors } from "../yaml/validate.ts";
import { applyNamespace, type MappingField } from "./namespace.ts";
import { type DatasetField, Node } from "./node.ts";
import { checkArity, resolveFunction } from "./modules.ts";
import { Pipeline } from "./pipeline.ts";
import { bindNames, IncludeEntry, NodeEntry, PipelineFile, splitRef, toList, toMapping } from "./schema.ts";
import { inferenceSpec } from "./inference.ts";
import type { InferenceEntryValue } from "./inference_schema.ts";

import { DEFAULT, pipelineFiles, pipelineNames } from "./pipeline_files.ts";

export { pipelineNames };

/**
 * Loads pipelines (only those named in `only`, plus what they include) and validates them;
 * every problem found is reported together.
 *
 * @example
 * ```ts
 * const { training } = await loadPipelines("/project/pipelines", { only: ["training"] });
 * ```
 */
export async function loadPipelines(
  pipelinesDir: string,
  options: { only?: string[] } = {},
): Promise<Record<string, Pipeline>> {
  const files = await pipelineFiles(pipelinesDir);
  const all = [...files.keys()].filter((n) => n !== DEFAULT).sort();
  const wanted = options.only?.length ? options.only : [...all, DEFAULT];
  const unionDefault = wanted.includes(DEFAULT) && !files.has(DEFAULT);
  const problems: KmlfError[] = [];
  const result: Record<string, Pipeline> = {};
  const loader = new FileLoader(problems);
  for (const name of new Set(unionDefault ? [...all, ...wanted] : wanted)) {
    if (name === DEFAULT && unionDefault) continue;
    const file = files.get(name);
    if (!file) {
      problems.push(
        new PipelineDefinitionError("pipeline/unknown", `Pipeline "${name}" does not exist`, {
          hint: didYouMeanHint(name, all) || `registered pipelines: ${all.join(", ") || "(none)"}`,
        }),
      );
      continue;
    }
    const pipeline = await loader.load(file, []);
    if (pipeline) result[name] = await loader.bindInference(pipeline, file, name, files);
  }
  throwIfAny(dedupe(problems), "Cannot load pipelines");
  if (unionDefault) {
    try {
      let union = new Pipeline(all.flatMap((n) => result[n].nodes));
      const ml = all.map((n) => result[n].ml).find((m) => m);
      // kedro-mlflow demotes a PipelineML added to others; say which run would log the model.
      if (ml) {
        const owner = all.find((n) => result[n].ml === ml);
        union = union.withInference(
          ml.spec,
          `${DEFAULT} is the union of every pipeline; \`kmlf run ${owner}\` logs the model of ${owner}`,
        );
      }
      result[DEFAULT] = union;
    } catch (error) {
      throwIfAny(errorsOf(error), `Cannot combine the pipelines into ${DEFAULT}`);
    }
  }
  return result;
}

/**
 * Loads one pipeline file (and what it includes) on its own, ignoring its `inference:` block — how a
 * logged model loads its inference pipeline from the model's `code/` folder.
 *
 * @example
 * ```ts
 * const inference = await loadPipelineFile("/models/abc/code/pipelines/inference.yml");
 * ```
 */
export async function loadPipelineFile(file: string): Promise<Pipeline> {
  const problems: KmlfError[] = [];
  const pipeline = await new FileLoader(problems).load(resolve(file), []);
  throwIfAny(dedupe(problems), `Cannot load pipeline ${file}`);
  return pipeline!;
}

// Parses each file once per load; included files are shared, so equal nodes merge in unions.
class FileLoader {
  readonly #cache = new Map<string, Promise<Pipeline | undefined>>();
  readonly #inference = new Map<string, { entry: InferenceEntryValue; src: YamlSource }>();
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
    if (!target || !(await Deno.stat(target).then((s) => s.isFile, () => false))) {
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
    const top = PipelineFile.safeParse(src.value ?? {});
    if (!top.success) {
      this.problems.push(
        ...schemaErrors(PipelineFile, top.error.issues, src, src.value, [], "pipeline file"),
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
    const parsed = NodeEntry.safeParse(entry);
    if (!parsed.success) {
      this.problems.push(...schemaErrors(NodeEntry, parsed.error.issues, src, entry, at, "node"));
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
      const module = resolve(dirname(src.file), modulePath);
      const func = await resolveFunction(
        module,
        exportName,
        e.func,
        funcSource,
      );
      checkArity(func, inputs.binding, inputs.names.length, `Node "${name}"`, funcSource);
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

  private async include(
    entry: unknown,
    at: KeyPath,
    src: YamlSource,
    stack: string[],
    fileTags: string[],
  ): Promise<Node[]> {
    const parsed = IncludeEntry.safeParse(entry);
    if (!parsed.success) {
      this.problems.push(
        ...schemaErrors(IncludeEntry, parsed.error.issues, src, entry, at, "pipeline include"),
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
    if (!(await Deno.stat(target).then((s) => s.isFile, () => false))) {
      const guess = await siblingGuess(target);
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
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  src: YamlSource,
  value: unknown,
  basePath: KeyPath,
  what: string,
): KmlfError[] {
  return issuesToErrors(schema, issues, src, { value, code: "pipeline/schema", what, basePath }).map(
    asPipelineError,
  );
}

function asPipelineError(e: KmlfError): KmlfError {
  if (e instanceof PipelineDefinitionError) return e;
  return new PipelineDefinitionError(e.code, e.message, { source: e.source, hint: e.hint, cause: e.cause });
}

function errorsOf(error: unknown): KmlfError[] {
  if (!(error instanceof KmlfError)) throw error;
  const list = (error as KmlfError & { errors?: readonly KmlfError[] }).errors ?? [error];
  return list.map(asPipelineError);
}

async function siblingGuess(target: string): Promise<string | undefined> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dirname(target))) if (/\.ya?ml$/.test(e.name)) names.push(e.name);
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

// One broken module referenced by several nodes is one problem.
function dedupe(problems: KmlfError[]): KmlfError[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
