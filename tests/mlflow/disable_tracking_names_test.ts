/**
 * `disable_tracking.pipelines` naming a pipeline the project does not have: kedro-mlflow says nothing and the
 * run is tracked, so a typo goes unnoticed. kmlf warns once per unknown name (did-you-mean, or the list of
 * pipelines, and the place in mlflow.yml); registered names and `__default__` give no warning.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("unknown names in disable_tracking.pipelines are warned about, located; known ones are not", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const file = join(dir, "conf/base/mlflow.yml");
    const yml = await Deno.readTextFile(file);
    assert.match(yml, /pipelines: \[\] /, "the template's disable_tracking.pipelines");
    await Deno.writeTextFile(
      file,
      yml.replace("pipelines: [] ", "pipelines: [trainig, __default__, inference, zzz_nothing_like_it] "),
    );
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const line = yml.split("\n").findIndex((l) => l.includes("pipelines: [] ")) + 1;
    assert.match(
      r.stderr,
      new RegExp(
        `Warning: mlflow\\.yml disable_tracking\\.pipelines names "trainig", which is not a registered pipeline: ` +
          `it disables nothing; did you mean "training"\\?\\n {2}at conf/base/mlflow\\.yml:${line}:\\d+ ` +
          `\\(tracking\\.disable_tracking\\.pipelines\\[0\\]\\)`,
      ),
    );
    assert.match(
      r.stderr,
      /names "zzz_nothing_like_it", which is not a registered pipeline: it disables nothing; pipelines: __default__, inference, training\n {2}at conf\/base\/mlflow\.yml:\d+:\d+ \(tracking\.disable_tracking\.pipelines\[3\]\)/,
    );
    assert.doesNotMatch(r.stderr, /names "(__default__|inference)"/);
    assert.match(
      r.stderr,
      /MLflow run [0-9a-f]{32} started/,
      "the typo leaves the run tracked, as kedro-mlflow",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
