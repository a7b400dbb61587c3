/** `kmlf mlflow init`: writes a commented conf/<env>/mlflow.yml. */
import { join, relative } from "../path.ts";
import { loadProjectSettings } from "../config/mod.ts";
import { ConfigError } from "../errors.ts";
import { mlflowYmlTemplate } from "../mlflow/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { requireProject } from "./project.ts";
import { out, style } from "./terminal.ts";
import { writeTextFile } from "../file_io.ts";
import { statIfAny } from "../fs_utils.ts";

/** Options of `kmlf mlflow init`. */
export interface MlflowInitOptions {
  project?: string;
  env?: string;
  force?: boolean;
  silent?: boolean;
}

/**
 * Writes `conf/<env>/mlflow.yml` (default env `local`); refuses to overwrite without `--force`.
 *
 * @example
 * ```ts
 * await mlflowInit({ env: "base" });
 * ```
 */
export async function mlflowInit(options: MlflowInitOptions): Promise<number> {
  const root = requireProject(options);
  const settings = await loadProjectSettings(root);
  const env = options.env ?? "local";
  const dir = join(settings.confSource, env);
  const stat = statIfAny(dir);
  if (!stat?.isDirectory) {
    throw new ConfigError(
      "mlflow/init-no-env",
      `Cannot write mlflow.yml: environment folder ${dir} does not exist`,
      {
        hint: `create it (mkdir -p ${relative(Deno.cwd(), dir) || dir}) or choose an existing env with --env`,
      },
    );
  }
  const file = join(dir, "mlflow.yml");
  if (statIfAny(file) !== undefined && !options.force) {
    throw new ConfigError("mlflow/init-exists", `${file} already exists`, {
      hint: "pass --force to overwrite it (your changes in that file will be lost)",
    });
  }
  await writeTextFile(file, mlflowYmlTemplate(settings.name));
  if (!options.silent) {
    out(style.green(`✔ Wrote ${relative(root, file)}`));
    out(
      `  runs will be tracked in ${style.bold("mlflow.db")} at the project root; edit the file to change it`,
    );
  }
  return EXIT.ok;
}
