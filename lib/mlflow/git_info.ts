/** The git commit of the project and whether the work tree had uncommitted changes. */
import { dirname, join, resolve } from "../path.ts";

/** Git state recorded as run tags. */
export interface GitInfo {
  commit: string;
  branch?: string;
  dirty: boolean;
  /** Paths with uncommitted changes (at most 50), so the tag explains the dirty flag. */
  changed: string[];
}

/**
 * Reads `git` state of `dir`; undefined when it is not a git work tree or git is missing.
 *
 * @example
 * ```ts
 * const info = await gitInfo("/path/to/project"); // { commit: "ab12…", dirty: true, changed: ["conf/base/parameters.yml"] }
 * ```
 */
export async function gitInfo(dir: string): Promise<GitInfo | undefined> {
  // Starting git costs a few ms on every tracked run; outside a work tree there is nothing to ask.
  if (!mayBeInGitWorkTree(dir)) return undefined;
  let text: string;
  try {
    // One process: porcelain v2 gives the commit, the branch and the changed paths together.
    const out = await new Deno.Command("git", {
      args: ["status", "--porcelain=v2", "--branch", "--untracked-files=normal"],
      cwd: dir,
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!out.success) return undefined;
    text = new TextDecoder().decode(out.stdout);
  } catch {
    return undefined;
  }
  let commit = "";
  let branch: string | undefined;
  const changed: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# branch.oid ")) commit = line.slice(13).trim();
    else if (line.startsWith("# branch.head ")) branch = line.slice(14).trim();
    else if (line.startsWith("? ")) changed.push(line.slice(2));
    else if (/^[12u] /.test(line)) changed.push(pathOf(line));
  }
  if (!commit || commit === "(initial)") return undefined;
  return { commit, branch, dirty: changed.length > 0, changed: changed.slice(0, 50) };
}

// Porcelain v2: the path follows 8 fields ("1"), 9 ("2", then "\t<orig>") or 10 ("u"); it may contain spaces.
function pathOf(line: string): string {
  const skip = line[0] === "1" ? 8 : line[0] === "2" ? 9 : 10;
  return line.split(" ").slice(skip).join(" ").split("\t")[0];
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
