import assert from "node:assert/strict";
import { join } from "node:path";
import { gitInfo, mayBeInGitWorkTree, withoutCredentials } from "../../lib/mlflow/git_info.ts";

async function git(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

Deno.test("a folder with no .git at or above it is no git work tree, so git is not started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-nogit-" });
  try {
    assert.equal(mayBeInGitWorkTree(join(dir, "sub", "dir")), false);
    assert.equal(await gitInfo(dir), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a .git folder or a linked work tree's .git file above the project means git is asked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gitmark-" });
  try {
    await Deno.mkdir(join(dir, "repo", ".git"), { recursive: true });
    await Deno.mkdir(join(dir, "linked", "project"), { recursive: true });
    await Deno.writeTextFile(join(dir, "linked", ".git"), "gitdir: /elsewhere/.git/worktrees/linked\n");
    assert.equal(mayBeInGitWorkTree(join(dir, "repo")), true);
    assert.equal(mayBeInGitWorkTree(join(dir, "linked", "project")), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GIT_DIR or GIT_WORK_TREE in the environment means git is asked wherever the project is", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gitenv-" });
  try {
    for (const name of ["GIT_DIR", "GIT_WORK_TREE"]) {
      Deno.env.set(name, "/somewhere");
      try {
        assert.equal(mayBeInGitWorkTree(dir), true, name);
      } finally {
        Deno.env.delete(name);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gitInfo of a project inside a git work tree: commit, branch, dirty and the changed paths", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gitrepo-" });
  try {
    await git(dir, "init", "-q", "-b", "main");
    await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: p\n");
    await git(dir, "add", ".");
    await git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first");
    await Deno.mkdir(join(dir, "project"));
    const clean = await gitInfo(join(dir, "project"));
    assert.match(clean?.commit ?? "", /^[0-9a-f]{40}$/);
    assert.equal(clean?.branch, "main");
    assert.equal(clean?.dirty, false);
    await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: q\n");
    const dirty = await gitInfo(dir);
    assert.equal(dirty?.dirty, true);
    assert.deepEqual(dirty?.changed, ["kmlf.yml"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a remote URL loses its user and password, as MLflow's _strip_credentials_from_url does", () => {
  const cases: [string, string][] = [
    ["https://bot:ghp_token@github.com/org/repo.git", "https://github.com/org/repo.git"],
    ["https://user@host:8443/a/b?x=1#f", "https://host:8443/a/b?x=1#f"],
    ["ssh://git@github.com/org/repo.git", "ssh://github.com/org/repo.git"],
    ["https://a@b:p@ss@host/r", "https://host/r"], // the last @ ends the user info (Python's rpartition)
    ["git@github.com:org/repo.git", "git@github.com:org/repo.git"], // no scheme: kept
    ["https://github.com/org/repo.git", "https://github.com/org/repo.git"],
    ["https://host/path@v1", "https://host/path@v1"], // an @ in the path is not user info
    ["/srv/git/repo.git", "/srv/git/repo.git"],
  ];
  for (const [url, expected] of cases) assert.equal(withoutCredentials(url), expected, url);
});

Deno.test("a project in a folder its work tree ignores has no git state: its files are in no commit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gitignored-" });
  try {
    await git(dir, "init", "-q", "-b", "main");
    await Deno.writeTextFile(join(dir, ".gitignore"), "scratch/\n");
    await git(dir, "add", ".");
    await git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first");
    await Deno.mkdir(join(dir, "scratch", "project", "conf"), { recursive: true });
    assert.equal(await gitInfo(join(dir, "scratch", "project")), undefined);
    assert.equal(await gitInfo(join(dir, "scratch", "project", "conf")), undefined);
    assert.equal((await gitInfo(dir))?.branch, "main", "the work tree itself is not ignored");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
