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
import { resolve } from "../path.ts";
import { didYouMeanHint, type KmlfError, PipelineDefinitionError, throwIfAny } from "../errors.ts";
import { errorsOf, FileLoader } from "./file_loader.ts";
import { Pipeline } from "./pipeline.ts";

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
  const files = pipelineFiles(pipelinesDir);
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
