/**
 * Child process of process_hooks_test.ts: starts a run, buffers a few metrics (fewer than a batch,
 * so nothing is written yet), prints the run id, then ends the way `mode` says: "signal" (waits to
 * be killed), "error" (uncaught throw), "rejection" (unhandled rejection), "exit" (just returns) or
 * "deno-exit" (Deno.exit(3)).
 * Args: <db path> <mode>.
 */
import { MlflowClient, SqliteStore } from "../../lib/tracking/mod.ts";

const [path, mode] = Deno.args;
const client = new MlflowClient(SqliteStore.open(path), {
  context: { user: "child", sourceName: "child.ts" },
});
const run = await client.startRun({ runName: mode });
for (let step = 0; step < 10; step++) run.logMetric("loss", 1 / (step + 1), { step, timestamp: 1000 + step });
console.log(run.runId);
if (mode === "signal") setInterval(() => {}, 1000);
if (mode === "error") {
  setTimeout(() => {
    throw new Error("boom-uncaught");
  }, 10);
}
if (mode === "rejection") Promise.reject(new Error("boom-rejected"));
if (mode === "deno-exit") Deno.exit(3);
