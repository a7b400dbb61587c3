/**
 * A project whose folder name has spaces, `%`, `#`, a quote and non-ASCII letters: `kmlf new` says how to
 * `cd` there, `kmlf run` tracks into it (once "URI malformed": the default `sqlite:///…` URI was
 * percent-decoded), with the artifact URIs MLflow writes (pathlib's `as_uri()`), in the SQLite store and in
 * an mlruns folder, and the runs read back.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import { pathToFileUri } from "../../lib/path.ts";
import { kmlf } from "../cli_harness.ts";

Deno.test("kmlf run tracks a project in a folder named with spaces, %, #, ' and unicode", async () => {
  const base = await Deno.makeTempDir({ prefix: "kmlf-odd-path-" });
  const dir = join(base, "é 日本 % # ' 🎉", "p r%o#j");
  try {
    await Deno.mkdir(dirname(dir));
    const created = await kmlf(["new", "p r%o#j", "--name", "proj"], { cwd: dirname(dir) });
    assert.equal(created.code, 0, created.stderr);
    // The `cd …` it prints works when pasted into a shell.
    const cd = created.stdout.match(/^\s*(cd .*?) && kmlf run training/m)?.[1];
    assert.ok(cd, created.stdout);
    const shell = await new Deno.Command("sh", { args: ["-c", `${cd} && pwd -P`], cwd: dirname(dir) })
      .output();
    assert.equal(new TextDecoder().decode(shell.stdout).trim(), await Deno.realPath(dir));

    const sqliteRun = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(sqliteRun.code, 0, sqliteRun.stderr);
    const db = new DatabaseSync(join(dir, "mlflow.db"), { readOnly: true });
    const uris = db.prepare("SELECT artifact_uri FROM runs").all().map((r) => String(r.artifact_uri));
    db.close();
    assert.equal(uris.length, 1);
    assert.ok(uris[0].startsWith(`${pathToFileUri(join(dir, "mlartifacts"))}/`), uris[0]);

    // The serve command a registration prints reads back, through a shell, as the model URI it names.
    const sqliteRunId = uris[0].match(/\/([0-9a-f]{32})\/artifacts$/)?.[1];
    const registered = await kmlf(["models", "register", "-m", `runs:/${sqliteRunId}/model`, "-n", "m é's"], {
      cwd: dir,
    });
    assert.equal(registered.code, 0, registered.stderr);
    const serve = (registered.stdout + registered.stderr).match(/serve it: kmlf models serve (-m .*)\)$/m)
      ?.[1];
    assert.ok(serve, registered.stdout + registered.stderr);
    const argv = await new Deno.Command("sh", { args: ["-c", `printf '%s\\n' ${serve}`] }).output();
    assert.deepEqual(new TextDecoder().decode(argv.stdout).split("\n").slice(0, 2), [
      "-m",
      "models:/m é's/1",
    ]);

    const env = { MLFLOW_TRACKING_URI: "mlruns" };
    const fileRun = await kmlf(["run", "training"], { cwd: dir, env });
    assert.equal(fileRun.code, 0, fileRun.stderr);
    const runId = (fileRun.stdout + fileRun.stderr).match(/runs:\/([0-9a-f]{32})\//)?.[1];
    assert.ok(runId, fileRun.stdout);
    const listed = await kmlf(["artifacts", "list", "-r", runId], { cwd: join(dir, "data"), env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /model\.pkl/);
    const metas: string[] = [];
    for await (const exp of Deno.readDir(join(dir, "mlruns"))) {
      const runDir = join(dir, "mlruns", exp.name, runId);
      const text = await Deno.readTextFile(join(runDir, "meta.yaml")).catch(() => undefined);
      if (text !== undefined) metas.push(text.match(/^artifact_uri: (.*)$/m)?.[1] + " " + runDir);
    }
    assert.equal(metas.length, 1);
    const [uri, runDir] = [
      metas[0].slice(0, metas[0].indexOf(" ")),
      metas[0].slice(metas[0].indexOf(" ") + 1),
    ];
    assert.equal(uri, pathToFileUri(join(runDir, "artifacts")));
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
