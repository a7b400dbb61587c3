/**
 * `kedro new`'s flags on `kmlf new`: `-n/--name`, `-e/--example y|n` and `-c/--config FILE` work as in
 * Kedro, a project directory can come from the name alone, and the flags of Kedro's cookiecutter starters
 * and tools are refused with what kmlf does instead (not commander's bare "unknown option").
 */
import { basename, dirname, join, resolve } from "../path.ts";
import { UsageError } from "../errors.ts";
import { readKedroNewConfig } from "./new_config_file.ts";
import { checkProjectName, checkRepoName, kedroRepoName, settingsName } from "./new_project_names.ts";

/** `kmlf new`'s options as commander parses them (Kedro's spellings included). */
export interface KedroNewFlags {
  name?: string;
  /** `true`/`false` from `--no-example`, or Kedro's `--example y|n` text. */
  example?: boolean | string;
  tools?: string;
  starter?: string;
  checkout?: string;
  directory?: string;
  config?: string;
  telemetry?: string;
}

/** What `kmlf new` goes on with: the directory, kmlf.yml's name, the README's title, the example or not. */
export interface KedroNewPlan {
  dir: string;
  /** kmlf.yml's `name:`; undefined: the directory's name. */
  name?: string;
  /** The project name as given (`My Project`), for the README and messages; undefined: `name`. */
  title?: string;
  example: boolean;
}

/**
 * The directory and options `kmlf new` goes on with, after Kedro's flags (and `--config` file) are read
 * or refused. A project name gives the directory (Kedro's repo_name) and kmlf.yml's name (Kedro's
 * python_package, unless the name itself is one).
 *
 * @example
 * ```ts
 * await kedroNewOptions(undefined, { name: "My Project", example: "n" });
 * // { dir: "my-project", name: "my_project", title: "My Project", example: false }
 * ```
 */
export async function kedroNewOptions(dir: string | undefined, flags: KedroNewFlags): Promise<KedroNewPlan> {
  if (flags.starter !== undefined || flags.checkout !== undefined || flags.directory !== undefined) {
    const flag = flags.starter !== undefined
      ? "--starter"
      : flags.checkout !== undefined
      ? "--checkout"
      : "--directory";
    throw new UsageError("cli/unsupported-flag", `kmlf new has no Kedro starters (${flag})`, {
      hint: "`kmlf new <dir>` writes the iris example (`--example n` for an empty project); " +
        'to bring a starter\'s Kedro project over, see README "Moving a Kedro project over"',
    });
  }
  // Flags win over the file, as in Kedro.
  const config = flags.config === undefined ? undefined : await readKedroNewConfig(flags.config);
  const inFile = (key: string) => `${key} in ${config?.file}`;
  const tools = flags.tools ?? config?.tools;
  if (tools !== undefined && !["none", ""].includes(tools.trim().toLowerCase())) {
    const where = flags.tools !== undefined ? `--tools ${tools}` : `${inFile("tools")}: ${tools}`;
    throw new UsageError("cli/unsupported-flag", `kmlf new has no Kedro tools (${where})`, {
      hint:
        `leave ${
          flags.tools !== undefined ? "--tools" : "tools"
        } out (or give none): \`deno lint\`, \`deno fmt\` ` +
        "and `deno test` work in a kmlf project without setup, and there is no PySpark or Sphinx template",
    });
  }
  if (flags.telemetry !== undefined) yesNo(flags.telemetry, "--telemetry"); // kmlf sends no telemetry
  const example = typeof flags.example === "string"
    ? yesNo(flags.example, "--example")
    : flags.example === false
    ? false
    : typeof config?.example === "string"
    ? yesNo(config.example, inFile("example_pipeline"))
    : typeof config?.example === "boolean"
    ? config.example
    : config === undefined; // Kedro's config file means no example unless example_pipeline says yes
  const title = flags.name ?? config?.projectName;
  const where = flags.name !== undefined ? "--name" : inFile("project_name");
  if (title !== undefined) checkProjectName(title, where);
  // The file's python_package stays when --name replaces its project_name, as in Kedro.
  const name = config?.pythonPackage !== undefined
    ? settingsName(config.pythonPackage, inFile("python_package"))
    : title === undefined
    ? undefined
    : settingsName(title, where);
  if (dir !== undefined) {
    if (config !== undefined) checkDirAgainstFile(dir, config.file, config.outputDir, config.repoName);
    return { dir, name, title, example };
  }
  if (config !== undefined) {
    if (title === undefined) {
      throw new UsageError("cli/bad-config-file", `project_name not found in ${config.file}`, {
        source: { file: config.file },
        hint: "add project_name: My Project (or pass --name)",
      });
    }
    if (config.repoName !== undefined) checkRepoName(config.repoName, inFile("repo_name"));
    const repo = config.repoName ?? kedroRepoName(title);
    return { dir: config.outputDir ? join(config.outputDir, repo) : repo, name, title, example };
  }
  if (title === undefined) {
    throw new UsageError("cli/usage", "kmlf new needs the project's directory or --name", {
      hint: "`kmlf new my-project`, or `kmlf new --name my-project` (the directory is the name, lower case)",
    });
  }
  return { dir: kedroRepoName(title), name, title, example };
}

// Kedro's `kedro new` has no directory argument: the file's output_dir/repo_name place the project. With both,
// a file naming another place would be silently overruled, so they must agree (a key left out agrees).
function checkDirAgainstFile(dir: string, file: string, outputDir?: string, repoName?: string): void {
  if (outputDir === undefined && repoName === undefined) return;
  if (repoName !== undefined) checkRepoName(repoName, `repo_name in ${file}`);
  const given = resolve(dir);
  const fromFile = join(outputDir ?? dirname(given), repoName ?? basename(given));
  if (resolve(fromFile) === given) return;
  const keys = [outputDir === undefined ? "" : "output_dir", repoName === undefined ? "" : "repo_name"]
    .filter(Boolean).join(" and ");
  throw new UsageError(
    "cli/usage",
    `kmlf new ${dir} disagrees with ${file}: its ${keys} put the project in ${fromFile}, not ${given}`,
    {
      source: { file },
      hint: `leave the directory out (\`kmlf new -c ${file}\`: the file decides, as in \`kedro new\`), ` +
        `or remove ${keys} from the file`,
    },
  );
}

// Kedro's yes/no answers (`y`, `yes`, `n`, `no`, any case).
function yesNo(value: string, flag: string): boolean {
  const answer = value.trim().toLowerCase();
  if (answer === "y" || answer === "yes") return true;
  if (answer === "n" || answer === "no") return false;
  const file = !flag.startsWith("--");
  throw new UsageError(
    file ? "cli/bad-config-file" : "cli/usage",
    `${flag} takes yes or no, not "${value}"`,
    {
      hint: file ? "example_pipeline: yes or example_pipeline: no" : `${flag} y or ${flag} n`,
    },
  );
}
