/** A SQLite store with one active run, shared by the Mlflow dataset tests. */
import { join } from "node:path";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { MlflowRunState, registerMlflowDatasets } from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
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

/** A catalog of `yaml` (as `<dir>/conf/base/catalog.yml`) whose Mlflow datasets read and log through `state`. */
export async function mlflowCatalog(state: MlflowRunState, dir: string, yaml: string): Promise<Catalog> {
  const registry = builtinRegistry();
  registerMlflowDatasets(registry, state);
  const src = parseYaml(yaml, join(dir, "conf/base/catalog.yml"));
  return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
    projectRoot: dir,
    registry,
  });
}
