/**
 * Pipelines declared in YAML (`pipelines/<name>.yml`) whose nodes reference TypeScript functions.
 *
 * ```yaml
 * tags: [demo]                                   # optional, added to every node of this file
 * nodes:
 *   - name: split_data                           # unique; defaults to the export name
 *     func: ./iris/nodes.ts#splitData            # module relative to THIS file, then the export
 *     inputs: [iris, params:split]               # list → positional arguments; a string → one argument
 *     outputs: [X_train, X_test]                 # list → returns an array; a string → the whole value
 *     tags: [preprocessing]
 *   - name: train_model
 *     func: ./iris/nodes.ts#trainModel
 *     inputs: {features: X_train, options: params:model}   # map → one object argument
 *     outputs: {model: model, history: train_history}      # map → keys of the returned object
 *   - pipeline: ./reusable.yml                   # modular reuse of another file
 *     namespace: dp
 *     inputs: {raw: iris}
 *     outputs: {clean: iris_clean}
 *     parameters: {cfg: dp_cfg}
 * ```
 */
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import {
  didYouMeanHint,
  type KmlfError,
  KmlfError as BaseError,
  PipelineDefinitionError,
  throwIfAny,
} from "../errors.ts";
import { type KeyPath, readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";
import { issuesToErrors } from "../yaml/validate.ts";
import { applyNamespace } from "./namespace.ts";
import { type InputBinding, Node, type OutputBinding } from "./node.ts";
import { checkArity, resolveFunction } from "./modules.ts";
import { Pipeline } from "./pipeline.ts";

const NAME = z.string().regex(/^[\w.-]+$/, "use letters, digits, _ . - only");
const DATASET = z.string().min(1);
const Names = z.union([DATASET, z.array(DATASET), z.record(z.string(), DATASET)]).nullable().optional();
const TagList = z.union([NAME, z.array(NAME)]).optional();
const NodeEntry = z.strictObject({
  name: NAME.optional(),
  func: z.string().regex(/^.+#[A-Za-z_$][\w$]*$/, 'must look like "./module.ts#exportName"'),
  inputs: Names,
  outputs: Names,
  tags: TagList,
  namespace: NAME.optional(),
  confirms: z.union([DATASET, z.array(DATASET)]).optional(),
});
const Mapping = z.union([DATASET, z.array(DATASET), z.record(z.string(), DATASET)]).optional();
const IncludeEntry = z.strictObject({
  pipeline: z.string().min(1),
  namespace: NAME.optional(),
  inputs: Mapping,
  outputs: Mapping,
  parameters: Mapping,
  tags: TagList,
});
const PipelineFile = z.strictObject({ nodes: z.array(z.unknown()), tags: TagList });

/**
 * Names of the registered pipelines (top-level `*.yml` files), without importing anything.
 *
 * @example
 * ```ts
 * await pipelineNames("/project/pipelines"); // ["inference", "training"]
 * ```
 */
export async function pipelineNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const m = e.isFile && e.name.match(/^([^.].*)\.ya?ml$/);
      if (m && m[1] !== "__default__") names.push(m[1]);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new PipelineDefinitionError("pipeline/no-dir", `Pipelines folder ${dir} does not exist`, {
      hint: "create it and add one <name>.yml per pipeline (or set pipelines_dir in kmlf.yml)",
    });
  }
  return names.sort();
}

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
  dir: string,
  options: { only?: string[] } = {},
): Promise<Record<string, Pipeline>> {
  const all = await pipelineNames(dir);
  const hasDefaultFile = await Deno.stat(join(dir, "__default__.yml")).then(() => true, () => false);
  const wanted = options.only?.length ? options.only : [...all, "__default__"];
  const needsAll = wanted.includes("__default__") && !hasDefaultFile;
  const names = new Set(needsAll ? [...all, ...wanted] : wanted);
  const problems: KmlfError[] = [];
  const result: Record<string, Pipeline> = {};
  const loader = new FileLoader(problems);
  for (const name of names) {
    if (name === "__default__" && !hasDefaultFile) continue;
    if (name !== "__default__" && !all.includes(name)) {
      problems.push(
        new PipelineDefinitionError("pipeline/unknown", `Pipeline "${name}" does not exist`, {
          hint: didYouMeanHint(name, all) || `registered pipelines: ${all.join(", ") || "(none)"}`,
        }),
      );
      continue;
    }
    const pipeline = await loader.load(join(dir, `${name}.yml`), []);
    if (pipeline) result[name] = pipeline;
  }
  throwIfAny(dedupe(problems), "Cannot load pipelines");
  if (needsAll) result.__default__ = new Pipeline(all.flatMap((n) => result[n].nodes));
  return result;
}

class FileLoader {
  readonly #cache = new Map<string, Promise<Pipeline | undefined>>();
  constructor(readonly problems: KmlfError[]) {}

  load(file: string, stack: string[]): Promise<Pipeline | undefined> {
    let p = this.#cache.get(file);
    if (!p) {
      p = this.parse(file, stack);
      this.#cache.set(file, p);
    }
    return p;
  }

  private async parse(file: string, stack: string[]): Promise<Pipeline | undefined> {
    let src: YamlSource;
    try {
      src = await readYamlFile(file, { code: "pipeline/yaml" });
    } catch (error) {
      this.problems.push(error as KmlfError);
      return undefined;
    }
    const top = PipelineFile.safeParse(src.value ?? {});
    if (!top.success) {
      this.problems.push(
        ...issuesToErrors(PipelineFile, top.error.issues, src, {
          value: src.value,
          code: "pipeline/schema",
          what: "pipeline file",
        }),
      );
      return undefined;
    }
    const fileTags = toList(top.data.tags);
    const nodes: Node[] = [];
    const before = this.problems.length;
    for (const [i, entry] of top.data.nodes.entries()) {
      const at: KeyPath = ["nodes", i];
      if (entry && typeof entry === "object" && "pipeline" in entry) {
        nodes.push(...await this.include(entry, at, src, file, stack, fileTags));
      } else {
        const node = await this.node(entry, at, src, fileTags);
        if (node) nodes.push(node);
      }
    }
    if (this.problems.length > before) return undefined;
    try {
      return new Pipeline(nodes);
    } catch (error) {
      const e = error as KmlfError & { errors?: KmlfError[] };
      this.problems.push(...(e.errors ?? [e]));
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
      this.problems.push(
        ...issuesToErrors(NodeEntry, parsed.error.issues, src, {
          value: entry,
          code: "pipeline/schema",
          what: "node",
          basePath: at,
        }),
      );
      return undefined;
    }
    const e = parsed.data;
    const [modulePath, exportName] = splitRef(e.func);
    const name = e.name ?? exportName;
    const inputs = bindNames(e.inputs);
    const outputs = bindNames(e.outputs);
    // Locations are computed only when an error needs one (they require re-parsing the file).
    const datasetSources = (dataset: string) => {
      for (const [field, b] of [["inputs", inputs], ["outputs", outputs]] as const) {
        const j = b.names.indexOf(dataset);
        if (j >= 0) return src.locate([...at, field, ...(b.kind === "single" ? [] : [b.keys?.[j] ?? j])]);
      }
      return undefined;
    };
    const funcSource = () => src.locate([...at, "func"]);
    try {
      const func = await resolveFunction(
        resolve(dirname(src.file), modulePath),
        exportName,
        e.func,
        funcSource,
      );
      checkArity(func, inputs.binding, inputs.names.length, `Node "${name}"`, funcSource);
      return new Node({
        name,
        func,
        funcRef: e.func,
        inputs: inputs.names,
        outputs: outputs.names,
        inputBinding: inputs.binding,
        outputBinding: outputs.outBinding,
        tags: [...toList(e.tags), ...fileTags],
        namespace: e.namespace,
        confirms: toList(e.confirms),
        source: () => src.locate(at),
        datasetSources,
      });
    } catch (error) {
      if (!(error instanceof BaseError)) throw error;
      this.problems.push(error);
      return undefined;
    }
  }

  private async include(
    entry: unknown,
    at: KeyPath,
    src: YamlSource,
    file: string,
    stack: string[],
    fileTags: string[],
  ): Promise<Node[]> {
    const parsed = IncludeEntry.safeParse(entry);
    if (!parsed.success) {
      this.problems.push(
        ...issuesToErrors(IncludeEntry, parsed.error.issues, src, {
          value: entry,
          code: "pipeline/schema",
          what: "pipeline include",
          basePath: at,
        }),
      );
      return [];
    }
    const e = parsed.data;
    const target = resolve(dirname(file), e.pipeline);
    const source = src.locate([...at, "pipeline"]);
    if ([...stack, file].includes(target)) {
      this.problems.push(
        new PipelineDefinitionError(
          "pipeline/recursive-include",
          `Pipeline ${target} includes itself (${[...stack, file, target].join(" -> ")})`,
          {
            source,
            hint: "remove the circular `pipeline:` reference",
          },
        ),
      );
      return [];
    }
    if (!(await Deno.stat(target).then((s) => s.isFile, () => false))) {
      this.problems.push(
        new PipelineDefinitionError("pipeline/include-not-found", `Cannot find included pipeline ${target}`, {
          source,
          hint: "paths in `pipeline:` are relative to the including YAML file",
        }),
      );
      return [];
    }
    const included = await new FileLoader(this.problems).load(target, [...stack, file]);
    if (!included) return [];
    const { nodes, problems } = applyNamespace(included, {
      namespace: e.namespace,
      inputs: toMapping(e.inputs),
      outputs: toMapping(e.outputs),
      parameters: toMapping(e.parameters),
      tags: [...toList(e.tags), ...fileTags],
      source: src.locate(at),
    });
    this.problems.push(...problems);
    return nodes;
  }
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

function splitRef(ref: string): [string, string] {
  const hash = ref.lastIndexOf("#");
  return [ref.slice(0, hash), ref.slice(hash + 1)];
}

function toList(value: string | string[] | undefined | null): string[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

function toMapping(value: string | string[] | Record<string, string> | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === "string") return { [value]: value };
  if (Array.isArray(value)) return Object.fromEntries(value.map((v) => [v, v]));
  return value;
}

function bindNames(value: string | string[] | Record<string, string> | null | undefined): {
  names: string[];
  keys?: string[];
  kind: string;
  binding: InputBinding;
  outBinding: OutputBinding;
} {
  if (value == null) {
    return { names: [], kind: "none", binding: { kind: "none" }, outBinding: { kind: "none" } };
  }
  if (typeof value === "string") {
    return { names: [value], kind: "single", binding: { kind: "single" }, outBinding: { kind: "single" } };
  }
  if (Array.isArray(value)) {
    return { names: value, kind: "list", binding: { kind: "positional" }, outBinding: { kind: "list" } };
  }
  const keys = Object.keys(value);
  return {
    names: Object.values(value),
    keys,
    kind: "object",
    binding: { kind: "object", keys },
    outBinding: { kind: "object", keys },
  };
}
