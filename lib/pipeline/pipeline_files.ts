/**
 * The pipeline files of a project's pipelines folder, by name: what `kmlf registry list` and the loader
 * need to know before any YAML is parsed (this module loads no parser and no schema).
 *
 * @module
 */
import { join } from "../path.ts";
import { PipelineDefinitionError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";

/** The pipeline every run without a name runs: its own file, or the union of all the others. */
export const DEFAULT = "__default__";

/**
 * Names of the registered pipelines (top-level `*.yml` files, `__default__` excluded), without
 * importing anything.
 *
 * @example
 * ```ts
 * pipelineNames("/project/pipelines"); // ["inference", "training"]
 * ```
 */
export function pipelineNames(pipelinesDir: string): string[] {
  return [...pipelineFiles(pipelinesDir).keys()].filter((n) => n !== DEFAULT).sort();
}

/**
 * Name → absolute file (`.yml` or `.yaml`) of the pipelines in `dir`, `__default__` included when the file
 * exists.
 *
 * @example
 * ```ts
 * pipelineFiles("/project/pipelines").get("training"); // "/project/pipelines/training.yml"
 * ```
 */
export function pipelineFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  try {
    for (const e of Deno.readDirSync(dir)) {
      const m = e.name.match(/^([^.].*)\.ya?ml$/);
      // A symlinked pipeline file counts, as a symlinked config file does (lib/config/files.ts).
      if (!m || !(e.isFile || (e.isSymlink && statIfAny(join(dir, e.name))?.isFile))) continue;
      const other = files.get(m[1]);
      if (other) {
        throw new PipelineDefinitionError(
          "pipeline/duplicate-file",
          `Pipeline "${m[1]}" is declared twice: ${other} and ${join(dir, e.name)}`,
          { source: { file: join(dir, e.name) }, hint: "keep one of the two files" },
        );
      }
      files.set(m[1], join(dir, e.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotADirectory) {
      throw new PipelineDefinitionError(
        "pipeline/no-dir",
        `Pipelines folder ${dir} is a file, not a folder`,
        {
          source: { file: dir },
          hint: "move that file away and create the folder (or set pipelines_dir in kmlf.yml)",
        },
      );
    }
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new PipelineDefinitionError("pipeline/no-dir", `Pipelines folder ${dir} does not exist`, {
      hint: "create it and add one <name>.yml per pipeline (or set pipelines_dir in kmlf.yml)",
    });
  }
  return files;
}
