/**
 * `kmlf new <dir>`: writes a working project. The iris example is this repository's own demo,
 * embedded as a generated module (never read from kmlf's source tree at run time).
 */
import { basename, dirname, join, resolve } from "../path.ts";
import { UsageError } from "../errors.ts";
import { EXIT } from "./exit_codes.ts";
import { out, shellQuote, style } from "./terminal.ts";
import { IRIS_FILES } from "./templates/iris_files.ts";
import { PROJECT_GITIGNORE, projectDenoJson, projectReadme } from "./templates/project_files.ts";
import { kmlfImports, kmlfSourceRoot } from "./project_runtime.ts";
import { mlflowYmlTemplate } from "../mlflow/mod.ts";
import { writeTextFile } from "../file_io.ts";
import { yamlText } from "../yaml/plain_text.ts";
export { kedroNewOptions } from "./new_kedro_flags.ts";

/** Options of `kmlf new`. */
export interface NewOptions {
  /** kmlf.yml's `name:` (default: the directory's name). */
  name?: string;
  /** The project's name as given (`My Project`), for the README and messages (default: `name`). */
  title?: string;
  /** Commander sets this false for `--no-example`. */
  example?: boolean;
}

/**
 * Creates a project in `dir` (which must not exist or be empty) and returns the exit code.
 *
 * @example
 * ```ts
 * await newCommand("my-project", { name: "demo", example: true });
 * ```
 */
export async function newCommand(dir: string, options: NewOptions): Promise<number> {
  const root = resolve(dir);
  const name = options.name ?? basename(root);
  if (!/^[A-Za-z][\w.-]*$/.test(name)) {
    throw new UsageError("new/bad-name", `Cannot use "${name}" as a project name`, {
      hint: "start with a letter and use letters, digits, '_', '-' or '.'; pass --name to choose one",
    });
  }
  if (nonEmpty(root)) {
    throw new UsageError("new/not-empty", `Cannot create a project in ${root}: the directory is not empty`, {
      hint: "choose a new directory name, or empty this one first",
    });
  }
  const title = options.title ?? name;
  const files = projectFiles(name, options.example !== false, title);
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    Deno.mkdirSync(dirname(target), { recursive: true });
    await writeTextFile(target, content);
  }
  out(style.green(`✔ Created project "${title}" in ${root}`));
  out(
    options.example !== false
      ? `  cd ${shellQuote(dir)} && kmlf run training && kmlf mlflow ui`
      : `  cd ${shellQuote(dir)} && kmlf pipeline create <name> && kmlf run <name>`,
  );
  out(style.dim(`  ${join(dir, "README.md")} says how to run, track and view, and where things go`));
  return EXIT.ok;
}

/** The files of a new project, by relative path; `title` is the README's (default: `name`). */
export function projectFiles(name: string, example: boolean, title = name): Record<string, string> {
  // Quoted where YAML would read the name as something else (`true`, `null`, `no`).
  const settings = `# kmlf project settings: marks the project root.\nname: ${
    yamlText(name)
  }\ndefault_env: local\nconf_source: conf\npipelines_dir: pipelines\nhooks: []\n`;
  const common: Record<string, string> = {
    "kmlf.yml": settings,
    "deno.json": projectDenoJson(kmlfImports(), kmlfSourceRoot()),
    ".gitignore": PROJECT_GITIGNORE,
    "conf/local/.gitkeep": "",
    "README.md": projectReadme(title, { example }),
  };
  if (!example) {
    return {
      ...common,
      "conf/base/catalog.yml":
        "# Declare datasets here: name: {type: csv, filepath: data/01_raw/x.csv}\n{}\n",
      "conf/base/parameters.yml": "# Parameters used by nodes as params:<name>\n{}\n",
      "pipelines/.gitkeep": "",
      "data/.gitkeep": "",
    };
  }
  return { ...IRIS_FILES, "conf/base/mlflow.yml": mlflowYmlTemplate(name), ...common };
}

function nonEmpty(dir: string): boolean {
  try {
    for (const _ of Deno.readDirSync(dir)) return true;
    return false;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
