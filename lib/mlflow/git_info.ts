/** The git commit of the project and whether the work tree had uncommitted changes. */

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
  const run = async (args: string[]) => {
    try {
      const out = await new Deno.Command("git", { args, cwd: dir, stdout: "piped", stderr: "null" }).output();
      return out.success ? new TextDecoder().decode(out.stdout) : undefined;
    } catch {
      return undefined;
    }
  };
  const [commit, status, branch] = await Promise.all([
    run(["rev-parse", "HEAD"]),
    run(["status", "--porcelain", "--untracked-files=normal"]),
    run(["rev-parse", "--abbrev-ref", "HEAD"]),
  ]);
  if (!commit || status === undefined) return undefined;
  const changed = status.split("\n").filter((l) => l.trim() !== "").map((l) => l.slice(3)).slice(0, 50);
  return { commit: commit.trim(), branch: branch?.trim(), dirty: changed.length > 0, changed };
}
