/**
 * `kmlf pipeline create <name>` and `kmlf pipeline delete <name>`, like Kedro's: scaffold a pipeline
 * (YAML, nodes module, test, parameters) or remove those files again.
 */
import { dirname, join, relative } from "../path.ts";
import { loadProjectSettings } from "../config/mod.ts";
import { KmlfAggregateError, UsageError } from "../errors.ts";
import { EXIT } from "./exit_codes.ts";
import { pipelineReferences } from "./pipeline_references.ts";
import { requireProject } from "./project.ts";
import { pipelineFiles } from "./templates/pipeline_files.ts";
import { out, style } from "./terminal.ts";
import { writeTextFile } from "../file_io.ts";
import { lstatIfAny } from "../fs_utils.ts";

/** Options of `kmlf pipeline create` / `delete`. */
export interface PipelineCommandOptions {
  project?: string;
  /** Environment folder of the parameters file (default `base`, as in Kedro). */
  env?: string;
  /** Commander sets this false for `--skip-config`. */
  config?: boolean;
  /** `delete` without asking. */
  yes?: boolean;
  /** Kedro's `--template DIR` (a cookiecutter folder): refused, kmlf has one scaffold. */
  template?: string;
}

// Kedro's rule for pipeline names: a letter or underscore, then letters, digits or underscores.
const NAME = /^[A-Za-z_]\w+$/;

/**
 * Creates the files of a new pipeline and returns the exit code; refuses to overwrite anything.
 *
 * @example
 * ```ts
 * await pipelineCreate("scoring", { env: "base" });
 * ```
 */
export async function pipelineCreate(name: string, options: PipelineCommandOptions): Promise<number> {
  if (options.template !== undefined) {
    throw new UsageError(
      "cli/unsupported-flag",
      `kmlf pipeline create has no templates (--template ${options.template}): Kedro's are Python cookiecutters`,
      {
        hint: "leave --template out: kmlf writes its TypeScript scaffold; edit the files it lists afterwards",
      },
    );
  }
  const { root, paths, files } = await plan(name, options, { create: true });
  const existing = [];
  for (const path of [paths.yml, dirname(paths.nodes), paths.test, paths.parameters]) {
    if (path && await exists(join(root, path))) existing.push(path);
  }
  if (existing.length > 0) {
    throw new UsageError(
      "pipeline/exists",
      `Cannot create pipeline "${name}": ${existing.join(", ")} already exist${
        existing.length === 1 ? "s" : ""
      }`,
      {
        hint: `choose another name, or remove it first with \`kmlf pipeline delete ${name}\``,
      },
    );
  }
  for (const [path, content] of Object.entries(files)) {
    Deno.mkdirSync(dirname(join(root, path)), { recursive: true });
    await writeTextFile(join(root, path), content, { createNew: true });
  }
  out(style.green(`✔ Created pipeline "${name}"`));
  for (const path of Object.keys(files)) out(`  ${path}`);
  out(`  run it: kmlf run ${name}    test its nodes: deno test ${paths.test}`);
  return EXIT.ok;
}

/**
 * Deletes what `pipeline create` made for `name` (asks first unless `--yes`).
 *
 * @example
 * ```ts
 * await pipelineDelete("scoring", { yes: true });
 * ```
 */
export async function pipelineDelete(name: string, options: PipelineCommandOptions): Promise<number> {
  const { root, paths, pipelinesDir } = await plan(name, { ...options, config: true }, { create: false });
  const targets: string[] = [];
  for (const path of [paths.yml, dirname(paths.nodes), dirname(paths.test), paths.parameters]) {
    if (path && await exists(join(root, path))) targets.push(path);
  }
  if (targets.length === 0) {
    throw new UsageError("pipeline/not-found", `Pipeline "${name}" has no files to delete`, {
      hint: `expected ${paths.yml}; \`kmlf registry list\` shows the pipelines`,
    });
  }
  // Other pipelines using this one's YAML or modules would break: say where, and delete nothing.
  const uses = pipelineReferences(name, { pipelinesDir });
  if (uses.length > 0) {
    const errors = uses.map(({ source, uses }) =>
      new UsageError("pipeline/in-use", `Cannot delete pipeline "${name}": another pipeline uses ${uses}`, {
        source,
        hint: `change or remove this use first: deleting would remove ${targets.join(", ")}`,
      })
    );
    throw errors.length === 1
      ? errors[0]
      : new KmlfAggregateError(errors, `Cannot delete pipeline "${name}": other pipelines use its files`);
  }
  if (!options.yes) {
    if (!Deno.stdin.isTerminal()) {
      throw new UsageError("pipeline/confirm", `Deleting pipeline "${name}" needs confirmation`, {
        hint: `pass --yes to delete ${targets.join(", ")}`,
      });
    }
    out(`This deletes:\n${targets.map((t) => `  ${t}`).join("\n")}`);
    if (!confirm(`Delete pipeline "${name}"?`)) {
      out("Nothing deleted.");
      return EXIT.ok;
    }
  }
  for (const path of targets) await Deno.remove(join(root, path), { recursive: true });
  out(style.green(`✔ Deleted pipeline "${name}"`) + style.dim(` (${targets.join(", ")})`));
  return EXIT.ok;
}

async function plan(name: string, options: PipelineCommandOptions, mode: { create: boolean }) {
  if (!NAME.test(name) || name === "__default__") {
    throw new UsageError("pipeline/bad-name", `Cannot use "${name}" as a pipeline name`, {
      hint:
        "start with a letter or _, then letters, digits or _ (at least 2 characters); __default__ is reserved",
    });
  }
  const root = requireProject(options);
  const settings = await loadProjectSettings(root);
  const env = options.env ?? settings.baseEnv;
  const envDir = join(settings.confSource, env);
  if (mode.create && options.config !== false && !(await exists(envDir))) {
    throw new UsageError("pipeline/no-env", `Environment folder ${relative(root, envDir)} does not exist`, {
      hint: "create it, choose another --env, or pass --skip-config",
    });
  }
  const { paths, files } = pipelineFiles(name, {
    pipelinesDir: relative(root, settings.pipelinesDir),
    parametersFile: options.config === false
      ? undefined
      : relative(root, join(envDir, `parameters_${name}.yml`)),
  });
  return { root, paths, files, pipelinesDir: settings.pipelinesDir };
}

function exists(path: string): boolean {
  return lstatIfAny(path) !== undefined;
}
