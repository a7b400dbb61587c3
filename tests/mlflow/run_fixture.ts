/** A SQLite store with one active run, shared by the Mlflow dataset tests. */
import { MlflowRunState } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

/** What a test gets: the client, the run state the datasets read, the run's id and the temp folder. */
export interface RunFixture {
  client: MlflowClient;
  state: MlflowRunState;
  runId: string;
  dir: string;
}

/** Runs `fn` against a fresh SQLite store in a temp folder with one active run; removes both after. */
export async function withRun(fn: (ctx: RunFixture) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }), { processHooks: false });
  const run = await client.createRun("0", { runName: "t" });
  const state = new MlflowRunState();
  state.activate(client, run.info.runId);
  try {
    await fn({ client, state, runId: run.info.runId, dir });
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
}
