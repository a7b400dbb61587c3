/**
 * Nothing logged is lost when the process ends abruptly: buffered metrics are flushed and the run is
 * ended (KILLED on SIGTERM, FAILED on an uncaught error or rejection, FINISHED when the script just
 * returns), while the process still dies of the same signal or error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";

const CHILD = new URL("./process_hooks_child.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

async function runChild(
  mode: string,
  check: (
    out: { runId: string; status: Deno.CommandStatus; stderr: string },
    store: SqliteStore,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-hooks-" });
  const path = join(dir, "mlflow.db");
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD, path, mode],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    if (mode === "signal") child.kill("SIGTERM");
    reader.releaseLock();
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
      child.stdout.cancel(),
    ]);
    const store = SqliteStore.open(path);
    try {
      await check({ runId: text.trim(), status, stderr }, store);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function assertFlushed(store: SqliteStore, runId: string, status: string): Promise<void> {
  const run = await store.getRun(runId);
  assert.equal(run.info.status, status);
  assert.ok(run.info.endTime !== null);
  assert.equal((await store.getMetricHistory(runId, "loss")).metrics.length, 10);
  assert.equal(run.data.metrics.loss, 1 / 10);
}

Deno.test({
  name: "SIGTERM flushes buffered metrics, ends the run KILLED, and still kills the process",
  ignore: Deno.build.os === "windows",
  fn: () =>
    runChild("signal", async ({ runId, status }, store) => {
      assert.equal(status.success, false);
      assert.equal(status.signal, "SIGTERM");
      await assertFlushed(store, runId, "KILLED");
    }),
});

Deno.test("an uncaught error flushes buffered metrics, ends the run FAILED, and still fails the process", () =>
  runChild("error", async ({ runId, status, stderr }, store) => {
    assert.equal(status.code, 1);
    assert.match(stderr, /boom-uncaught/);
    await assertFlushed(store, runId, "FAILED");
  }));

Deno.test("an unhandled rejection flushes buffered metrics, ends the run FAILED, and still fails the process", () =>
  runChild("rejection", async ({ runId, status, stderr }, store) => {
    assert.equal(status.code, 1);
    assert.match(stderr, /boom-rejected/);
    await assertFlushed(store, runId, "FAILED");
  }));

Deno.test("a script that returns without ending its run gets it flushed and ended FINISHED", () =>
  runChild("exit", async ({ runId, status }, store) => {
    assert.equal(status.code, 0);
    await assertFlushed(store, runId, "FINISHED");
  }));

Deno.test("Deno.exit with a run active says which run stays RUNNING and how many points were not written", () =>
  runChild("deno-exit", async ({ runId, status, stderr }, store) => {
    assert.equal(status.code, 3);
    assert.equal((await store.getRun(runId)).info.status, "RUNNING"); // what the warning says
    assert.match(stderr, /warning\[tracking\/run-left-active\]/);
    assert.match(stderr, new RegExp(`run ${runId} stays RUNNING; 10 buffered metric point`));
    assert.match(stderr, /await run\.end\(\)/);
  }));
