/**
 * A file store's meta.yaml that is not what MLflow writes (broken YAML, a list, a single value) is a store
 * error naming the file and the fix, never quoting the file: the YAML parser's message carries the lines
 * around the error, which a server handed to any client (a 500 quoting the run's meta.yaml).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { FileStore } from "../../lib/tracking/mod.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { kmlf } from "../cli_harness.ts";

const SECRET = "TOP-SECRET-CONTENT";
const CORRUPT: Record<string, string> = {
  "broken YAML": `run_name: "${SECRET}\nstatus: [3\n`,
  "bad indentation": `run_name: ${SECRET}\n  status: 3\n bad: x\n`,
  "a list": `- ${SECRET}\n- status\n`,
  "a single value": `${SECRET}\n`,
};

async function corruptRun(
  text: string,
): Promise<{ dir: string; store: FileStore; runId: string; rel: string }> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-corrupt-meta-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  const exp = await store.createExperiment("corrupt");
  const runId = (await store.createRun({ experimentId: exp })).info.runId;
  const rel = `${exp}/${runId}/meta.yaml`;
  await Deno.writeTextFile(join(dir, "mlruns", rel), text);
  return { dir, store, runId, rel };
}

for (const [label, text] of Object.entries(CORRUPT)) {
  Deno.test(`file store: a run's meta.yaml holding ${label} is a store error without its content`, async () => {
    const { dir, store, runId, rel } = await corruptRun(text);
    try {
      const error = await store.getRun(runId).then(() => undefined, (e) => e);
      assert.ok(error instanceof TrackingError, String(error));
      assert.ok(error.message.includes(rel), error.message);
      assert.ok(!error.message.includes(SECRET), error.message);
      assert.match(error.hint ?? "", /restore the file from a backup/);

      // The server names the file inside its store, not the machine's folders, and quotes none of it.
      const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art"), cwd: dir });
      const res = await handle(
        new Request(`http://localhost/api/2.0/mlflow/runs/get?run_id=${runId}`),
      );
      const body = await res.json();
      assert.equal(res.status, 500);
      assert.ok(body.message.includes(`<backend store>/${rel}`), body.message);
      assert.ok(!body.message.includes(SECRET) && !body.message.includes(dir), body.message);
    } finally {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("kmlf runs list on a store with a corrupt meta.yaml names the file and the fix", async () => {
  const { dir, store, rel } = await corruptRun(CORRUPT["broken YAML"]);
  try {
    await store.close();
    const r = await kmlf(["runs", "list", "--experiment-id", rel.split("/")[0]], {
      cwd: dir,
      env: { MLFLOW_TRACKING_URI: join(dir, "mlruns") },
    });
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(rel), r.stderr);
    assert.match(r.stderr, /not valid YAML \(.* at line \d+, column \d+\)/);
    assert.match(r.stderr, /restore the file from a backup/);
    assert.ok(!r.stderr.includes(SECRET), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
