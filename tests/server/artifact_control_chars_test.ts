/**
 * Artifact names holding control characters, on every path that writes one: MlflowClient's logText/logDict
 * over a local store and over kmlf server (REST client → `mlflow-artifacts` proxy), the proxy's PUT and the
 * UI's upload. A C0 control other than NUL is a valid file name byte (MLflow stores it too) and round-trips;
 * NUL, which no file name can hold, is refused on each path with an error naming the artifact path.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, SqliteStore } from "../../lib/tracking/mod.ts";
import { startKmlfServer } from "../tracking/kmlf_server.ts";
import { serverFixture } from "./server_harness.ts";

// Every C0 control but NUL, and DEL.
const CONTROLS = [...Array.from({ length: 31 }, (_, i) => i + 1), 127].map((c) => String.fromCharCode(c));

async function roundTrips(client: MlflowClient, runId: string): Promise<void> {
  for (const c of CONTROLS) {
    const file = `c${c.charCodeAt(0)}/a${c}b.txt`;
    await client.logText(runId, `text ${c.charCodeAt(0)}`, file);
    const listed = await client.listArtifacts(runId, `c${c.charCodeAt(0)}`);
    assert.deepEqual(listed.map((f) => f.path), [file], JSON.stringify(file));
  }
  for (
    const call of [() => client.logText(runId, "x", "a\0b.txt"), () => client.logDict(runId, {}, "d/\0.json")]
  ) {
    await assert.rejects(call, (error: Error) => {
      assert.match(
        error.message,
        /^Invalid artifact path: '(a\\u0000b\.txt|d\/\\u0000\.json)'\. NUL characters/,
      );
      return true;
    });
  }
}

Deno.test("logText/logDict: control characters round-trip and NUL is refused naming the path (local store)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ctl-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "artifacts") });
  try {
    const run = await store.createRun({ experimentId: "0" });
    await roundTrips(new MlflowClient(store), run.info.runId);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("logText/logDict through kmlf server: control characters round-trip and NUL is refused naming the path", async () => {
  const server = await startKmlfServer({ client: { maxRetries: 0 } });
  try {
    const run = await server.store.createRun({ experimentId: "0" });
    await roundTrips(new MlflowClient(server.store), run.info.runId);
  } finally {
    await server.close();
  }
});

Deno.test("the proxy's PUT and the UI's upload refuse a NUL naming the path, and keep other controls", async () => {
  const f = await serverFixture();
  try {
    const { experiment_id } = await (await f.post("/api/2.0/mlflow/experiments/create", { name: "c" }))
      .json();
    const { run } = await (await f.post("/api/2.0/mlflow/runs/create", { experiment_id })).json();
    const runId: string = run.info.run_id;
    const put = (name: string) =>
      f.handle(
        new Request(
          `http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${runId}/artifacts/${
            encodeURIComponent(name)
          }`,
          { method: "PUT", body: "x" },
        ),
      );
    const upload = (name: string) =>
      f.handle(
        new Request(
          `http://127.0.0.1:5000/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=${
            encodeURIComponent(name)
          }`,
          { method: "POST", body: "x" },
        ),
      );
    for (const send of [put, upload]) {
      const refused = await send("up/a\0b.txt");
      const body = await refused.json();
      assert.equal(refused.status, 400);
      assert.equal(body.error_code, "INVALID_PARAMETER_VALUE");
      // The path as the route takes it (the proxy's, from its destination's root).
      assert.match(
        body.message,
        /^Invalid path: '(\d+\/[0-9a-f]{32}\/artifacts\/)?up\/a\\u0000b\.txt' holds a NUL character \(\\u0000\), which no file name can hold$/,
      );
      for (const c of ["\x01", "\x1b", "\x7f"]) {
        const ok = await send(`up/${send === put ? "p" : "u"}${c}.txt`);
        assert.equal(ok.status, 200, await ok.clone().text());
        await ok.body?.cancel();
      }
    }
    const listed = await (await f.get("/api/2.0/mlflow/artifacts/list", { run_id: runId, path: "up" }))
      .json();
    assert.equal(listed.files.length, 6);
  } finally {
    await f.dispose();
  }
});
