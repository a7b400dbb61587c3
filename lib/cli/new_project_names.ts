/**
 * The names `kedro new` derives from a project name ("My Project"), and kmlf's uses of them: the
 * directory (Kedro's repo_name, `my-project`), kmlf.yml's `name:` (Kedro's python_package, `my_project`,
 * which kedro-mlflow also names the experiment after) and the README's title (the name as given).
 */
import { UsageError } from "../errors.ts";

/** Kedro's rule for a project name (prompts.yml): word characters, spaces and hyphens, 2 at least. */
const KEDRO_PROJECT_NAME = /^[\p{L}\p{N}_ -]{2,}$/u;
/** Kedro's rule for a repository name: word characters and hyphens, starting and ending with a word character. */
const KEDRO_REPO_NAME = /^[\p{L}\p{N}_]+(-*[\p{L}\p{N}_]+)*$/u;
/** kmlf.yml's rule for `name:` (lib/config/project.ts). */
const SETTINGS_NAME = /^[A-Za-z][\w.-]*$/;

/**
 * Refuses a project name Kedro refuses, with Kedro's message; `where` says where it came from (`--name`,
 * or `project_name in config.yml`).
 *
 * @example
 * ```ts
 * checkProjectName("My Project", "--name"); // fine
 * checkProjectName("x", "--name"); // throws new/bad-name
 * ```
 */
export function checkProjectName(name: string, where: string): void {
  if (!KEDRO_PROJECT_NAME.test(name)) {
    throw new UsageError(
      "new/bad-name",
      `"${name}" (${where}) is an invalid value for project name. It must contain only alphanumeric symbols, ` +
        "spaces, underscores and hyphens and be at least 2 characters long",
      { hint: 'e.g. --name "My Project" (the directory is then my-project, the package name my_project)' },
    );
  }
}

/**
 * Refuses a repository (directory) name Kedro refuses; `where` says where it came from.
 *
 * @example
 * ```ts
 * checkRepoName("my-project", "repo_name in config.yml"); // fine
 * ```
 */
export function checkRepoName(name: string, where: string): void {
  if (!KEDRO_REPO_NAME.test(name)) {
    throw new UsageError(
      "new/bad-name",
      `"${name}" (${where}) is not a valid repository name. It must contain only word symbols and/or ` +
        "hyphens, must also start and end with alphanumeric symbol",
      { hint: "e.g. my-project; put the folder it goes in under output_dir" },
    );
  }
}

/**
 * Kedro's repo_name for a project name: trimmed, each space and `_` a `-`, lower case.
 *
 * @example
 * ```ts
 * kedroRepoName("My Project_2"); // "my-project-2"
 * ```
 */
export function kedroRepoName(projectName: string): string {
  return projectName.trim().replaceAll(" ", "-").replaceAll("_", "-").toLowerCase();
}

/**
 * Kedro's python_package for a project name: trimmed, each space and `-` a `_`, lower case.
 *
 * @example
 * ```ts
 * kedroPackageName("Iris 2"); // "iris_2"
 * ```
 */
export function kedroPackageName(projectName: string): string {
  return projectName.trim().replaceAll(" ", "_").replaceAll("-", "_").toLowerCase();
}

/**
 * kmlf.yml's `name:` for a project: the name itself when kmlf.yml takes it as it is (`Churn_Model`), else
 * Kedro's python_package of it (`My Project` → `my_project`); refused when neither starts with a letter.
 * `where` says where the name came from.
 *
 * @example
 * ```ts
 * settingsName("My Project", "--name"); // "my_project"
 * ```
 */
export function settingsName(projectName: string, where: string): string {
  if (SETTINGS_NAME.test(projectName)) return projectName;
  const pkg = kedroPackageName(projectName);
  if (SETTINGS_NAME.test(pkg)) return pkg;
  throw new UsageError(
    "new/bad-name",
    `Cannot use "${projectName}" (${where}) as a project name: its package name "${pkg}" (kmlf.yml's name) ` +
      "must start with a letter and use only ASCII letters, digits, '_', '-' or '.'",
    {
      hint: /^[A-Za-z]/.test(pkg)
        ? `use ASCII letters (e.g. --name "${projectName.normalize("NFD").replace(/\p{M}/gu, "")}")`
        : 'start the name with a letter, e.g. --name "Iris 2" rather than "2 Iris"',
    },
  );
}
