/**
 * `kmlf server` does not trust a run's artifact URI row either (as `kmlf gc`): a row rewritten to point at
 * another folder (a home folder, `file:///`, the proxy's whole destination, a path with `..`), or a run
 * folder planted as a symlink out of its experiment's folder, serves and takes nothing through
 * `/get-artifact`, `artifacts/list`, the UI's upload or a model version's `runs:/` source — a 403 that
 * says why and names no server path. The run's own root is served as before.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { serverFixture } from "../server/server_harness.ts";

const SECRET = "TOP-SECRET-CONTENT";

Deno.test("a run whose artifact_uri row points outside its own root is not served, listed or written", async () => {
  const fx = await serverFixture();
  try {
    const outside = join(fx.dir, "home");
    await Deno.mkdir(join(outside, "sub"), { recursive: true });
    await Deno.writeTextFile(join(outside, "secret.txt"), SECRET);
    // In the folder MLflow keeps a SQLite store's runs in by default, which the server reads.
    const experimentId = await fx.store.createExperiment("local", {
      artifactLocation: join(fx.dir, "mlruns"),
    });
    const own = await fx.store.createRun({ experimentId });
    await fx.store.getArtifactRepository(own.info.artifactUri).writeArtifact("notes.txt", "hello");
    const rows = [
      outside,
      `file://${outside}`,
      "file:///",
      `${join(fx.dir, "mlruns")}/{run}/artifacts/../../../home`,
      `file://${join(fx.dir, "mlruns")}/{run}/artifacts/%2e%2e/%2e%2e/%2e%2e/home`,
      "mlflow-artifacts:/",
    ];
    await Deno.mkdir(fx.artifactsDestination, { recursive: true });
    await Deno.writeTextFile(join(fx.artifactsDestination, "secret.txt"), SECRET);
    const runs: string[] = [];
    for (const _ of rows) runs.push((await fx.store.createRun({ experimentId })).info.runId);
    // A run folder planted as a link out of the experiment's folder (the row itself is the run's own).
    const linked = await fx.store.createRun({ experimentId });
    const linkedDir = join(fx.dir, "mlruns", linked.info.runId);
    await Deno.remove(linkedDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(join(linkedDir, ".."), { recursive: true });
    await Deno.mkdir(join(outside, "artifacts"), { recursive: true });
    await Deno.writeTextFile(join(outside, "artifacts", "secret.txt"), SECRET);
    await Deno.symlink(outside, linkedDir);
    const db = new DatabaseSync(join(fx.dir, "mlflow.db"));
    for (const [i, row] of rows.entries()) {
      db.prepare("UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?").run(
        row.replaceAll("{run}", runs[i]),
        runs[i],
      );
    }
    db.close();
    await fx.post("/api/2.0/mlflow/registered-models/create", { name: "m" });
    for (const runId of [...runs, linked.info.runId]) {
      const what = (endpoint: string) => `${endpoint} of ${runId}`;
      const answers: [string, Response][] = [
        ["get-artifact", await fx.get("/get-artifact", { run_uuid: runId, path: "secret.txt" })],
        [
          "get-artifact sub",
          await fx.get("/get-artifact", { run_uuid: runId, path: "artifacts/secret.txt" }),
        ],
        ["artifacts/list", await fx.get("/api/2.0/mlflow/artifacts/list", { run_id: runId })],
        ["ajax list", await fx.get("/ajax-api/2.0/mlflow/artifacts/list", { run_id: runId, path: "sub" })],
        [
          "upload",
          await fx.handle(
            new Request(
              `http://127.0.0.1:5000/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=x.txt`,
              {
                method: "POST",
                body: "planted",
              },
            ),
          ),
        ],
      ];
      // A version whose runs:/ source names the run: accepted (MLflow checks the run exists), never served.
      const created = await fx.post("/api/2.0/mlflow/model-versions/create", {
        name: "m",
        source: `runs:/${runId}/secret.txt`,
        run_id: runId,
      });
      if (created.status === 200) {
        const { model_version: v } = await created.json();
        answers.push([
          "model version",
          await fx.get("/model-versions/get-artifact", { name: "m", version: v.version, path: "x" }),
        ]);
      } else await created.body?.cancel();
      for (const [endpoint, response] of answers) {
        const text = await response.text();
        assert.equal(response.status, 403, `${what(endpoint)}: ${response.status} ${text}`);
        assert.match(text, /PERMISSION_DENIED.*is not the run's own artifact root/, what(endpoint));
        assert.ok(!text.includes(SECRET) && !text.includes(fx.dir), `${what(endpoint)}: ${text}`);
      }
    }
    assert.deepEqual([...Deno.readDirSync(outside)].map((e) => e.name).sort(), [
      "artifacts",
      "secret.txt",
      "sub",
    ]);
    assert.deepEqual([...Deno.readDirSync(join(outside, "sub"))], []);
    // The run's own root still answers.
    const notes = await fx.get("/get-artifact", { run_uuid: own.info.runId, path: "notes.txt" });
    assert.deepEqual([notes.status, await notes.text()], [200, "hello"]);
  } finally {
    await fx.dispose();
  }
});

Deno.test("a model version's runs:/ source whose path leaves the run serves nothing (a stored record)", async () => {
  const fx = await serverFixture();
  try {
    // Runs in the folder MLflow keeps a SQLite store's runs in, which the server reads.
    const experimentId = await fx.store.createExperiment("local", {
      artifactLocation: join(fx.dir, "mlruns"),
    });
    const own = (await fx.store.createRun({ experimentId })).info.runId;
    const other = await fx.store.createRun({ experimentId });
    await fx.store.getArtifactRepository(other.info.artifactUri).writeArtifact("secret.txt", SECRET);
    // The store keeps any source (as MLflow's): only the server's API checks them, so another writer may not.
    await fx.store.registry.createRegisteredModel("m");
    const sources = [
      `runs:/${own}/../../${other.info.runId}/artifacts`,
      `runs:/${own}/%2e%2e/%2e%2e/${other.info.runId}/artifacts`,
      `runs:/${own}/..`,
    ];
    for (const source of sources) {
      const { version } = await fx.store.registry.createModelVersion("m", source, { runId: own });
      const answer = await fx.get("/model-versions/get-artifact", { name: "m", version, path: "secret.txt" });
      const text = await answer.text();
      assert.equal(answer.status, 400, `${source}: ${answer.status} ${text}`);
      assert.match(text, /INVALID_PARAMETER_VALUE.*Invalid artifact path/, source);
      assert.ok(!text.includes(SECRET) && !text.includes(fx.dir), text);
    }
  } finally {
    await fx.dispose();
  }
});
