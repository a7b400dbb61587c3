/**
 * `kmlf registry list|describe`, printed as Kedro prints them: `click.echo(yaml.dump(value))` (PyYAML's
 * text, then a blank line).
 */
import { loadProjectSettings } from "../config/project.ts";
import { pipelineNames } from "../pipeline/lazy_loader.ts";
import { pyyamlDump } from "../yaml/pyyaml_dump.ts";
import { EXIT } from "./exit_codes.ts";
import { requireProject } from "./project.ts";
import { out } from "./terminal.ts";

/**
 * Prints the registered pipeline names as a YAML list (no node modules are imported).
 *
 * @example
 * ```ts
 * await registryList({});
 * ```
 */
export async function registryList(globals: { project?: string }): Promise<number> {
  // Like `kedro registry list`: the project's settings and pipeline files, not a session (catalog, plugins).
  const settings = await loadProjectSettings(requireProject(globals));
  let names: string[];
  try {
    names = pipelineNames(settings.pipelinesDir);
  } catch (error) {
    throw (await import("../session/mod.ts")).locateMissingPipelinesDir(error, settings);
  }
  out(pyyamlDump([...new Set(["__default__", ...names])].sort()));
  return EXIT.ok;
}

/**
 * Prints a pipeline's nodes in run order as YAML (`name (func ref)`, inputs, outputs).
 *
 * @example
 * ```ts
 * await registryDescribe("training", {});
 * ```
 */
export async function registryDescribe(name: string, globals: { project?: string }): Promise<number> {
  const { openProjectSession } = await projectSession();
  const session = await openProjectSession(globals);
  const pipeline = await session.pipeline([name]);
  const nodes = pipeline.nodes.map((n) => ({
    [n.name]: { func: n.funcRef, inputs: [...n.inputs], outputs: [...n.outputs], tags: [...n.tags] },
  }));
  out(
    pyyamlDump({
      pipeline: name,
      inputs: [...pipeline.inputs()].sort(),
      outputs: [...pipeline.outputs()].sort(),
      nodes,
      // kedro-mlflow's PipelineML: the model a tracked run of this pipeline logs.
      ...(pipeline.ml
        ? {
          inference: {
            pipeline: pipeline.ml.spec.ref,
            input_name: pipeline.ml.spec.inputName,
            model: pipeline.ml.spec.logModel.name,
            ...(pipeline.ml.dropped ? { not_logged: pipeline.ml.dropped } : {}),
          },
        }
        : {}),
    }),
  );
  return EXIT.ok;
}

// The session (catalog, plugins, runners) loads for `describe` only; by a computed URL, which Deno does not
// read with this module (the bundle makes it an entry point).
const projectSession = (): Promise<typeof import("./project_session.ts")> =>
  import(new URL("./project_session.ts", import.meta.url).href);
