/**
 * Before `kmlf pipeline delete <name>` removes `pipelines/<name>.yml` and `pipelines/<name>/`: the places in
 * the project's other pipeline files that still use them (a `func:` in that folder, a `pipeline:` include
 * of that file, an `inference.pipeline` naming it). Deleting them would break those pipelines.
 */
import { dirname, join, resolve } from "../path.ts";
import type { SourceLocation } from "../errors.ts";
import { parseYaml } from "../yaml/parse_yaml.ts";
import { isRecord } from "../is_record.ts";

/** One use of the pipeline's files by another pipeline file. */
export interface PipelineReference {
  /** Where: the file, line, column and key path. */
  source: SourceLocation | undefined;
  /** What is used, as written (`./data_processing/nodes.ts#clean`). */
  uses: string;
}

/**
 * The uses of `name`'s YAML file and module folder in the other YAML files under `pipelinesDir`.
 * Files that cannot be read or parsed are skipped: they are no pipeline kmlf could run.
 *
 * @example
 * ```ts
 * const refs = pipelineReferences("data_processing", { pipelinesDir: join(root, "pipelines") });
 * ```
 */
export function pipelineReferences(
  name: string,
  options: { pipelinesDir: string },
): PipelineReference[] {
  const yml = resolve(options.pipelinesDir, `${name}.yml`);
  const folder = resolve(options.pipelinesDir, name);
  const inFolder = (path: string) => path === folder || path.startsWith(`${folder}/`);
  const refs: PipelineReference[] = [];
  for (const file of yamlFiles(options.pipelinesDir)) {
    if (file === yml || inFolder(file)) continue;
    let value: unknown;
    let locate: (path: (string | number)[]) => SourceLocation | undefined;
    try {
      const src = parseYaml(Deno.readTextFileSync(file), file);
      value = src.value;
      locate = (path) => src.locate(path);
    } catch {
      continue;
    }
    const add = (path: (string | number)[], uses: string) => refs.push({ source: locate(path), uses });
    const top = isRecord(value) ? value : {};
    const nodes = Array.isArray(top.nodes) ? top.nodes : [];
    nodes.forEach((entry, i) => {
      if (!isRecord(entry)) return;
      const func = entry.func;
      if (typeof func === "string" && func.startsWith(".")) {
        const module = resolve(dirname(file), func.slice(0, func.lastIndexOf("#")));
        if (inFolder(module)) add(["nodes", i, "func"], func);
      }
      if (typeof entry.pipeline === "string" && resolve(dirname(file), entry.pipeline) === yml) {
        add(["nodes", i, "pipeline"], entry.pipeline);
      }
    });
    const inference = isRecord(top.inference) ? top.inference.pipeline : undefined;
    if (
      typeof inference === "string" &&
      (inference === name || (/[\/\\]|\.ya?ml$/.test(inference) && resolve(dirname(file), inference) === yml))
    ) {
      add(["inference", "pipeline"], `"${inference}" as its inference pipeline`);
    }
  }
  return refs;
}

// Every .yml/.yaml file below `dir`, sorted (a missing folder has none).
function yamlFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(at)];
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(at, e.name);
      if (e.isDirectory) walk(path);
      else if (e.isFile && /\.ya?ml$/.test(e.name)) files.push(path);
    }
  };
  walk(resolve(dir));
  return files.sort();
}
