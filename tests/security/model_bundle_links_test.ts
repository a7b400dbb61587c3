/**
 * A logged model copies its persisted inputs: a folder input's symlinks are followed only while they stay
 * inside the project (DVC's cache links), never out of it (no /etc/passwd in a model shared with whoever
 * reads the run), link loops end, and pipes are left out with a note — or, as the input's own file,
 * refused — instead of blocking the run's end forever.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";

async function walk(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory) out.push(`${rel}/`, ...await walk(join(dir, e.name), `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

/** A project whose inference pipeline reads the folder dataset `parts` and the file dataset `extra`. */
async function linkedProject(base: string): Promise<string> {
  const p = join(base, "proj");
  const files: Record<string, string> = {
    "kmlf.yml": "name: b\ndefault_env: local\nconf_source: conf\npipelines_dir: pipelines\nhooks: []\n",
    "conf/local/.keep": "",
    "conf/base/catalog.yml": [
      "parts: {type: partitioned, path: data/parts, dataset: text}",
      "extra: {type: text, filepath: data/extra.txt}",
      "instances: {type: json, filepath: data/instances.json}",
      "",
    ].join("\n"),
    "conf/base/mlflow.yml": "server:\n  mlflow_tracking_uri: sqlite:///mlflow.db\n",
    "pipelines/inference.yml":
      "nodes:\n  - name: f\n    func: ./n.ts#f\n    inputs: [parts, extra, instances]\n    outputs: out\n",
    "pipelines/n.ts":
      "export function f(parts: Record<string, unknown>, _e: string, rows: unknown[]) { return rows.map(() => Object.keys(parts).length); }\n",
    "data/instances.json": '[{"a": 1}]\n',
    "data/extra.txt": "extra\n",
    "data/parts/a.txt": "plain\n",
    "data/parts/sub/b.txt": "nested\n",
    ".dvc/cache/x": "cached\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(p, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(p, path), text);
  }
  await Deno.mkdir(join(base, "outside"));
  await Deno.writeTextFile(join(base, "outside", "secret"), "TOP-SECRET\n");
  await Deno.symlink("../../.dvc/cache/x", join(p, "data/parts/dvc.txt"));
  await Deno.symlink(join(base, "outside", "secret"), join(p, "data/parts/secret.txt"));
  await Deno.symlink(join(base, "outside"), join(p, "data/parts/outdir"));
  await Deno.symlink("/etc/passwd", join(p, "data/parts/passwd.txt"));
  await Deno.symlink("..", join(p, "data/parts/sub/loop"));
  await Deno.symlink("missing", join(p, "data/parts/broken.txt"));
  await new Deno.Command("mkfifo", { args: [join(p, "data/parts/fifo.txt")] }).output();
  return p;
}

async function modelify(project: string) {
  return await kmlf(["mlflow", "modelify", "-p", "inference", "-i", "instances"], {
    cwd: project,
    env: { MLFLOW_TRACKING_URI: "" },
  });
}

Deno.test("a logged model follows a folder input's symlinks inside the project only, and skips pipes", async () => {
  const base = await Deno.realPath(await Deno.makeTempDir({ prefix: "kmlf-bundle-links-" }));
  try {
    const project = await linkedProject(base);
    const r = await modelify(project);
    assert.equal(r.code, 0, r.stderr);
    const runId = r.stdout.trim().match(/^runs:\/([0-9a-f]{32})\//)![1];
    const artifacts = join(project, "mlartifacts", "1", runId, "artifacts", "model-inference", "artifacts");
    assert.deepEqual(await walk(join(artifacts, "parts", "parts")), [
      "a.txt",
      "dvc.txt",
      "sub/",
      "sub/b.txt",
    ]);
    assert.equal(await Deno.readTextFile(join(artifacts, "parts", "parts", "dvc.txt")), "cached\n");
    for (const left of ["secret.txt", "outdir", "passwd.txt", "broken.txt"]) {
      assert.match(
        r.stderr,
        new RegExp(`parts/${left} not bundled: it is a symlink leading out of the project`),
      );
    }
    assert.match(r.stderr, /parts\/sub\/loop not bundled: it is a symlink back to a folder that holds it/);
    assert.match(r.stderr, /parts\/fifo\.txt not bundled: it is not a regular file/);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("a pipe as an inference input's own file is refused with its name, not read forever", async () => {
  // Refused before bundling (the input has no data file); the bundle refuses it too, should that change.
  const base = await Deno.realPath(await Deno.makeTempDir({ prefix: "kmlf-bundle-fifo-" }));
  try {
    const project = await linkedProject(base);
    await Deno.remove(join(project, "data/extra.txt"));
    await new Deno.Command("mkfifo", { args: [join(project, "data/extra.txt")] }).output();
    const r = await modelify(project);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /[Ii]nference input "extra" /);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
