/**
 * A session made from a script through `"kmlf"` (mod.ts) runs like `kmlf run`: the built-in kmlf-mlflow
 * plugin is there, so a catalog using mlflow_* types (the `kmlf new` demo's does) loads and the run is
 * tracked; wrong arguments of create/run are named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KmlfSession, MlflowClient, UsageError } from "../../mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const FILES: Record<string, string> = {
  "kmlf.yml": "name: scripted\n",
  "conf/base/catalog.yml": "score:\n  type: mlflow_metric\n",
  "conf/base/parameters.yml": "x: 0.75\n",
  "conf/base/mlflow.yml": "server:\n  mlflow_tracking_uri: mlflow.db\n",
  "conf/local/.keep": "",
  "pipelines/score.yml":
    "nodes:\n  - name: score\n    func: ./nodes.ts#score\n    inputs: params:x\n    outputs: score\n",
  "pipelines/nodes.ts": "export const score = (x: number) => x;\n",
};

Deno.test("KmlfSession from mod.ts has the kmlf-mlflow plugin: mlflow_* datasets load and the run is tracked", async () => {
  const root = await writeProject(FILES);
  try {
    const session = await KmlfSession.create({ projectRoot: root });
    await session.run({ pipelineNames: "score" });
    const client = await MlflowClient.open(`sqlite:///${join(root, "mlflow.db")}`, {
      baseDir: root,
      processHooks: false,
    });
    try {
      const experiment = await client.getExperimentByName("scripted");
      const { runs } = await client.searchRuns(experiment!.experimentId);
      assert.equal(runs.length, 1);
      assert.equal(runs[0].data.metrics.score, 0.75);
    } finally {
      await client.close();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("KmlfSession.create without { projectRoot } says what to pass", async () => {
  for (const options of [undefined, "/tmp"]) {
    await assert.rejects(
      () => KmlfSession.create(options as never),
      (e: unknown) =>
        e instanceof UsageError && e.code === "session/no-project-root" && /projectRoot/.test(e.hint ?? ""),
    );
  }
});
