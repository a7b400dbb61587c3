/** The git commit of the project and whether the work tree had uncommitted changes. */
import { dirname, join, resolve } from "../path.ts";

/** Git state recorded as run tags. */
export interface GitInfo {
  commit: string;
  /** The checked-out branch; none on a detached HEAD (MLflow's `repo.active_branch` has none either). */
  branch?: string;
  /** The first remote's URL without its user and password, as MLflow's `get_git_repo_url` gives it. */
  repoUrl?: string;
  dirty: boolean;
  /** Paths with uncommitted changes (at most 50), so the tag explains the dirty flag. */
  changed: string[];
}

/**
 * Reads `git` state of `dir`; undefined when it is not in a git work tree with a commit, is a folder that
 * work tree ignores, or git is missing.
 *
 * @example
 * ```ts
 * const info = await gitInfo("/path/to/project"); // { commit: "ab12…", branch: "main", dirty: true, changed: ["conf/base/parameters.yml"] }
 * ```
 */
export async function gitInfo(dir: string): Promise<GitInfo | undefined> {
  // Starting git costs a few ms on every tracked run; outside a work tree there is nothing to ask.
  if (!mayBeInGitWorkTree(dir)) return undefined;
  // Three processes at once: porcelain v2 gives the commit, the branch and the changed paths together
  // (NUL-separated, so a path is never quoted); the remotes' URLs in the order the config lists them; and
  // whether the project folder is git-ignored (its files are in no commit: MLflow records none then).
  const [status, remotes, ignored] = await Promise.all([
    git(dir, ["status", "--porcelain=v2", "--branch", "--untracked-files=normal", "-z"]),
    git(dir, ["config", "--null", "--get-regexp", "^remote\\..*\\.url$"]),
    // A work tree's top folder cannot be ignored: asked only of a project below it.
    atWorkTreeTop(dir) ? Promise.resolve(undefined) : git(dir, ["check-ignore", "-q", "."]),
  ]);
  if (status === undefined || ignored !== undefined) return undefined;
  let commit = "";
  let branch: string | undefined;
  const changed: string[] = [];
  const fields = status.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry.startsWith("# branch.oid ")) commit = entry.slice(13).trim();
    else if (entry.startsWith("# branch.head ")) branch = entry.slice(14).trim();
    else if (entry.startsWith("? ")) changed.push(entry.slice(2));
    else if (/^[12u] /.test(entry)) {
      changed.push(pathOf(entry));
      if (entry[0] === "2") i++; // a rename's original path is the next field
    }
  }
  if (!commit || commit === "(initial)") return undefined;
  // "(detached)" is git's word for no branch, not a branch name.
  if (branch === "(detached)") branch = undefined;
  // `--null`: each entry is "remote.<name>.url\n<url>".
  const firstUrl = remotes?.split("\0").find((e) => e.includes("\n"))?.split("\n").slice(1).join("\n");
  return {
    commit,
    branch,
    repoUrl: firstUrl ? withoutCredentials(firstUrl) : undefined,
    dirty: changed.length > 0,
    changed: changed.slice(0, 50),
  };
}

// git's stdout, or undefined when it could not start or failed (no repository, no remote configured).
async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", { args, cwd: dir, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

// Porcelain v2: the path follows 8 fields ("1"), 9 ("2") or 10 ("u"); it may contain spaces.
function pathOf(entry: string): string {
  const skip = entry[0] === "1" ? 8 : entry[0] === "2" ? 9 : 10;
  return entry.split(" ").slice(skip).join(" ");
}

/**
 * `url` without the user and password an HTTP(S) remote may carry (`https://user:token@host/repo`), so a
 * token never lands in a run tag; URLs without a scheme (`git@host:org/repo.git`) are kept as they are.
 * Like MLflow's `_strip_credentials_from_url`.
 *
 * @example
 * ```ts
 * withoutCredentials("https://bot:ghp_x@github.com/org/repo.git"); // "https://github.com/org/repo.git"
 * ```
 */
export function withoutCredentials(url: string): string {
  const match = url.match(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s);
  if (!match || !match[2].includes("@")) return url;
  return match[1] + match[2].slice(match[2].lastIndexOf("@") + 1) + match[3];
}

// Whether `dir` holds its own `.git` (and git is not pointed elsewhere by the environment).
function atWorkTreeTop(dir: string): boolean {
  if (Deno.env.get("GIT_DIR") !== undefined || Deno.env.get("GIT_WORK_TREE") !== undefined) return false;
  try {
    Deno.lstatSync(join(dir, ".git"));
    return true;
  } catch {
    return false;
  }
}

/**
 * False only when git could not find a repository for `dir` either: no `.git` (folder, or file of a linked
 * work tree) in `dir` or above it, and no `GIT_DIR` / `GIT_WORK_TREE` telling git where to look.
 *
 * @example
 * ```ts
 * mayBeInGitWorkTree("/tmp/scratch"); // false
 * ```
 */
export function mayBeInGitWorkTree(dir: string): boolean {
  if (Deno.env.get("GIT_DIR") !== undefined || Deno.env.get("GIT_WORK_TREE") !== undefined) return true;
  for (let at = resolve(dir);; at = dirname(at)) {
    try {
      Deno.lstatSync(join(at, ".git"));
      return true;
    } catch (error) {
      // Unreadable (permissions) is not "missing": let git decide.
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) return true;
    }
    if (dirname(at) === at) return false;
  }
}
