/**
 * The tags and params a tracked `kmlf run` stores, read back from the store whole: namespaces and
 * `--load-versions` (kedro-mlflow tags every truthy run param), and the git tags of a project in a real git
 * work tree — clean, dirty (modified, renamed, untracked with non-ASCII names), on a detached HEAD, with
 * remotes (the first one's URL without its credentials, as MLflow's `get_git_repo_url`), and outside git.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KMLF_VERSION } from "../../lib/version.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const NAMESPACED = {
  "pipelines/ns.yml": `nodes:
  - name: seed
    func: ./mod/nodes.ts#seed
    outputs: numbers
  - pipeline: ./mod/reusable.yml
    namespace: alpha
    inputs: { raw: numbers }
  - pipeline: ./mod/reusable.yml
    namespace: beta
    inputs: { raw: numbers }
`,
  "pipelines/mod/reusable.yml": `nodes:
  - name: double
    func: ./nodes.ts#double
    inputs: [raw, params:k]
    outputs: doubled
  - name: total
    func: ./nodes.ts#total
    inputs: doubled
    outputs: result
`,
  "pipelines/mod/nodes.ts": `export function seed(): number[] { return [1, 2, 3]; }
export function double(xs: number[], k: number): number[] { return xs.map((x) => x * k); }
export function total(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }
`,
  "conf/base/parameters.yml": "alpha:\n  k: 2\nbeta:\n  k: 3\n",
  "conf/base/catalog.yml": "numbers:\n  type: json\n  filepath: data/numbers.json\n  versioned: true\n",
};

async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

/** Runs `kmlf run ns …` in `dir` and returns the stored run (the newest of the experiment) and kedro's run id. */
async function tracked(dir: string, args: string[]) {
  const r = await kmlf(["run", "ns", ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const sessionId = (r.stdout + r.stderr).match(/run (\d{4}-\d\d-\d\dT[\d.]+Z)/)?.[1];
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    const exp = await client.getExperimentByName("iris");
    assert.ok(exp);
    const { runs } = await client.searchRuns([exp.experimentId], { orderBy: ["attributes.start_time DESC"] });
    return { run: runs[0], sessionId };
  } finally {
    await client.close();
  }
}

function gitTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k.includes("git")));
}

Deno.test("a namespaced run with --load-versions stores exactly these tags and params, and no git tags outside git", async () => {
  const dir = await demoProject(NAMESPACED, { tracked: true });
  try {
    await tracked(dir, []);
    const [version] = [...Deno.readDirSync(join(dir, "data/numbers.json"))].map((e) => e.name);
    const { run, sessionId } = await tracked(dir, ["-ns", "alpha,beta", "-lv", `numbers:${version}`]);
    assert.equal(run.info.status, "FINISHED");
    assert.deepEqual(run.data.params, { "alpha.k": "2", "beta.k": "3" });
    assert.deepEqual(run.data.tags, {
      "mlflow.user": run.info.userId,
      "mlflow.source.name": "kmlf",
      "mlflow.source.type": "LOCAL",
      "mlflow.runName": "ns",
      kmlf_command: `kmlf run ns -ns alpha,beta -lv numbers:${version}`, // the command as typed
      kmlf_version: KMLF_VERSION,
      run_id: sessionId,
      project_path: dir,
      env: "local",
      pipeline_names: "ns",
      runner: "SequentialRunner",
      namespaces: "alpha,beta",
      load_versions: `numbers:${version}`,
      // The process that ran it (a run it leaves RUNNING when killed is named later: orphaned_runs_test.ts).
      "kmlf.host": Deno.hostname(),
      "kmlf.pid": run.data.tags["kmlf.pid"],
      ...(Deno.build.os === "linux"
        ? {
          "kmlf.pid_start": run.data.tags["kmlf.pid_start"],
          "kmlf.pid_ns": Deno.readLinkSync("/proc/self/ns/pid"),
        }
        : {}),
    });
    assert.match(run.data.tags["kmlf.pid"], /^\d+$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("git tags of a real work tree: clean on a branch, dirty with the changed paths, detached HEAD, remotes", async () => {
  const dir = await demoProject(NAMESPACED, { tracked: true });
  try {
    await git(dir, "init", "-q", "-b", "main");
    await git(dir, "add", ".");
    await git(dir, "commit", "-qm", "first");
    // The first remote in config order is the one recorded; its token never reaches the store.
    await git(dir, "remote", "add", "upstream", "https://bot:s3cret@git.example.com/org/iris.git");
    await git(dir, "remote", "add", "origin", "git@github.com:org/iris.git");
    const first = await git(dir, "rev-parse", "HEAD");

    const clean = await tracked(dir, []);
    assert.deepEqual(gitTags(clean.run.data.tags), {
      "mlflow.source.git.commit": first,
      "mlflow.source.git.branch": "main",
      "mlflow.source.git.repoURL": "https://git.example.com/org/iris.git",
      "kmlf.git.dirty": "false",
    });

    // Ignored run outputs (data/, mlflow.db) are not changes; a modified, a renamed and an untracked file are.
    await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), "alpha:\n  k: 5\nbeta:\n  k: 3\n");
    await git(dir, "mv", "README.md", "LISEZ MOI.md");
    await Deno.writeTextFile(join(dir, 'notes é, "1".txt'), "x\n");
    const dirty = await tracked(dir, []);
    assert.deepEqual(gitTags(dirty.run.data.tags), {
      "mlflow.source.git.commit": first,
      "mlflow.source.git.branch": "main",
      "mlflow.source.git.repoURL": "https://git.example.com/org/iris.git",
      "kmlf.git.dirty": "true",
      "kmlf.git.changed_files": 'LISEZ MOI.md,conf/base/parameters.yml,notes é, "1".txt',
    });

    // A detached HEAD has no branch: no branch tag (MLflow's repo.active_branch fails there), not "(detached)".
    await git(dir, "add", "-A");
    await git(dir, "commit", "-qm", "second");
    const second = await git(dir, "rev-parse", "HEAD");
    await git(dir, "checkout", "-q", "--detach");
    await git(dir, "remote", "remove", "upstream");
    const detached = await tracked(dir, []);
    assert.deepEqual(gitTags(detached.run.data.tags), {
      "mlflow.source.git.commit": second,
      "mlflow.source.git.repoURL": "git@github.com:org/iris.git",
      "kmlf.git.dirty": "false",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a git work tree without a commit yet records no git tags (MLflow's head.commit has none)", async () => {
  const dir = await demoProject(NAMESPACED, { tracked: true });
  try {
    await git(dir, "init", "-q", "-b", "main");
    const { run } = await tracked(dir, []);
    assert.deepEqual(gitTags(run.data.tags), {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a command line or runtime params over MLflow's 8000-character tag limit are cut, not a failed start", async () => {
  const dir = await demoProject(NAMESPACED, { tracked: true });
  try {
    const long = "😀".repeat(8100); // code points, as MLflow counts them: 16200 UTF-16 units
    const { run } = await tracked(dir, ["--params", `note=${long}`]);
    assert.equal(run.info.status, "FINISHED");
    const cut = (text: string) => [...text].slice(0, 8000).join("");
    assert.equal(run.data.tags.kmlf_command, cut(`kmlf run ns --params 'note=${long}'`)); // shell-quoted
    assert.equal(run.data.tags.runtime_params, cut(JSON.stringify({ note: long })));
    const r = await kmlf(["run", "ns", "--params", `note=${long}`], { cwd: dir });
    assert.match(
      r.stderr + r.stdout,
      /Run tags cut to MLflow's 8000 characters: kmlf_command, runtime_params/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
