/**
 * `kmlf new --config config.yml` (`-c`), Kedro's file for a non-interactive `kedro new`: `project_name`,
 * `repo_name` (the directory), `output_dir` (where it goes), `python_package`, `tools` and
 * `example_pipeline`. Flags given on the command line win over the file, as in Kedro.
 */
import { resolve } from "../path.ts";
import { foreignPath } from "../foreign_path.ts";
import { didYouMeanHint, KmlfAggregateError, UsageError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import { readYamlFile } from "../yaml/parse_yaml.ts";

/** What a `kedro new` config file says, checked. */
export interface KedroNewConfig {
  /** The file, absolute. */
  file: string;
  projectName?: string;
  repoName?: string;
  /** Absolute, an existing folder (`~` is the home folder, relative paths start at the current one). */
  outputDir?: string;
  pythonPackage?: string;
  /** As `--tools` takes it (a list is joined with commas). */
  tools?: string;
  /** `true`/`false`, or Kedro's `y|yes|n|no` text. */
  example?: boolean | string;
}

/** The keys a `kedro new` config file may hold (`example` is kmlf's short spelling of example_pipeline). */
const KEYS = [
  "output_dir",
  "project_name",
  "repo_name",
  "python_package",
  "tools",
  "example_pipeline",
  "example",
] as const;
/** Kedro's rule for python_package (its template's pre-generation check). */
const KEDRO_PACKAGE = /^[A-Za-z_][\p{L}\p{N}_]+$/u;

/**
 * Reads and checks `kedro new`'s config file; every problem names the file and the key.
 *
 * @example
 * ```ts
 * const config = await readKedroNewConfig("config.yml"); // { projectName: "Iris 2", outputDir: "/home/me", … }
 * ```
 */
export async function readKedroNewConfig(file: string): Promise<KedroNewConfig> {
  const path = resolve(file);
  const src = await readYamlFile(path, { code: "cli/bad-config-file" });
  const top = src.value;
  if (top === null || typeof top !== "object" || Array.isArray(top)) {
    throw new UsageError(
      "cli/bad-config-file",
      top === null || top === undefined
        ? `Config file ${path} is empty`
        : `Config file ${path} is not a mapping of kedro new's keys`,
      {
        source: src.locate([]),
        hint: "write e.g.\nproject_name: My Project\noutput_dir: .\nexample_pipeline: no",
      },
    );
  }
  const config: KedroNewConfig = { file: path };
  const problems: UsageError[] = [];
  const bad = (key: string, message: string, hint: string) =>
    problems.push(new UsageError("cli/bad-config-file", message, { source: src.locate([key]), hint }));
  for (const [key, value] of Object.entries(top as Record<string, unknown>)) {
    const at = `"${key}" in ${path}`;
    if (!(KEYS as readonly string[]).includes(key)) {
      bad(
        key,
        `Unknown key ${at}`,
        `${didYouMeanHint(key, KEYS)} kedro new's config file takes ${KEYS.join(", ")}`.trim(),
      );
    } else if (key === "tools") {
      const tools = Array.isArray(value) && value.every((t) => typeof t === "string")
        ? value.join(",")
        : value;
      if (tools === null) config.tools = "none";
      else if (typeof tools === "string") config.tools = tools;
      else bad(key, `Invalid value for ${at}`, "give the tools as text, e.g. tools: none");
    } else if (key === "example_pipeline" || key === "example") {
      if (config.example !== undefined && config.example !== value) {
        bad(key, `${path} gives both example_pipeline and example`, "keep example_pipeline (Kedro's key)");
      } else if (typeof value === "boolean" || typeof value === "string") config.example = value;
      else bad(key, `Invalid value for ${at}`, "use yes or no");
    } else if (key === "output_dir" && value === null) {
      // Kedro's documented example writes `output_dir: ~` for the home folder, which YAML reads as null.
      config.outputDir = outputDir("~", at, bad);
    } else if (typeof value !== "string" || value.trim() === "") {
      bad(key, `Invalid value for ${at}: expected text`, `write it as text, e.g. ${key}: "${String(value)}"`);
    } else if (key === "output_dir") {
      config.outputDir = outputDir(value, at, bad);
    } else if (key === "python_package" && !KEDRO_PACKAGE.test(value)) {
      bad(
        key,
        `\`${value}\` (${at}) is not a valid Python package name`,
        "it must start with a letter or underscore and contain only letters, digits and/or underscores " +
          "(at least 2 characters), e.g. my_project",
      );
    } else if (key === "project_name") config.projectName = value;
    else if (key === "repo_name") config.repoName = value;
    else if (key === "python_package") config.pythonPackage = value;
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new KmlfAggregateError(problems, `Invalid kedro new config file ${path}`);
  return config;
}

// `~` is the home folder, a relative path starts at the current one; it must be an existing folder.
function outputDir(
  value: string,
  at: string,
  bad: (key: string, message: string, hint: string) => void,
): string | undefined {
  const expanded = value.replace(/^~(?=$|\/)/, Deno.env.get("HOME") ?? "~");
  // `C:\projects` or `projects\new` off Windows is no folder its writer meant (see lib/foreign_path.ts).
  const foreign = foreignPath(expanded, {
    tilde: "but for the home folder (~ or ~/…)",
    relative: "a relative one",
  });
  if (foreign) {
    bad("output_dir", `Cannot use output_dir '${value}' (${at}): ${foreign.problem}`, foreign.hint);
    return undefined;
  }
  const dir = resolve(expanded);
  if (statIfAny(dir)?.isDirectory) return dir;
  bad(
    "output_dir",
    `'${value}' (${at}) is not a valid output directory. It must be a relative or absolute path to an ` +
      "existing directory",
    "create the folder first, or give . for the current one",
  );
  return undefined;
}
