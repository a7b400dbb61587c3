/**
 * What the listing and run commands load at once: every ~100 KB of code costs a command ~2 ms to load
 * (bench/README.md), so code only some commands use loads when they use it. The runners load with a run,
 * mlflow.yml's schema (its module takes ~2 ms to evaluate) when a project has an mlflow.yml.
 */
import assert from "node:assert/strict";
import { moduleGraph } from "../module_graph.ts";

const RUNNERS = ["sequential_runner", "parallel_runner", "thread_runner", "worker_pool", "scheduler"];
const loaded = (modules: Set<string>, names: string[]) =>
  [...modules].filter((m) => names.some((n) => m.endsWith(`/${n}.ts`)));

Deno.test("catalog and registry commands load no runner", async () => {
  for (const entry of ["lib/cli/catalog_command.ts", "lib/cli/registry_command.ts"]) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, RUNNERS), [], entry);
  }
});

Deno.test("no command loads mlflow.yml's schema before it finds an mlflow.yml", async () => {
  for (
    const entry of ["lib/cli/catalog_command.ts", "lib/cli/registry_command.ts", "lib/cli/run_command.ts"]
  ) {
    assert.deepEqual(loaded((await moduleGraph(entry)).static, ["mlflow_config"]), [], entry);
  }
});
