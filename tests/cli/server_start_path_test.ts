/**
 * What `kmlf server` runs before its first `/health` answer (issue 13: ≤ 60 ms): it checks the store's file
 * and schema and listens; the store's code (~20 bundle files) and the API's load with the first other
 * request. A static graph cannot show this (both are imported by computed URL), so the server runs with
 * `--coverage`, which lists every module the process evaluated.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CLI_PATH, spawnKmlf } from "../cli_harness.ts";
import { PLAIN_COMMANDS } from "../../lib/cli/project_runtime.ts";

// Modules only the first API request needs: the SQLite store, the API's handler, the tracking barrel.
const AFTER_FIRST_REQUEST = [
  "lib/tracking/stores/sqlite/sqlite_store.ts",
  "lib/server/mod.ts",
  "lib/server/handler.ts",
  "lib/tracking/mod.ts",
];

/** Serves `runs.db` in `dir`, sends the given requests, stops; returns the modules the process evaluated. */
async function evaluatedBy(dir: string, paths: string[]): Promise<string[]> {
  const coverage = Deno.makeTempDirSync({ dir, prefix: "coverage-" });
  const server = spawnKmlf(["server", "--backend-store-uri", "sqlite:///runs.db", "--port", "0"], {
    cwd: dir,
    watch: "stdout",
    denoFlags: [`--coverage=${coverage}`],
  });
  const seen = await server.waitFor(/listening on (http\S+)/);
  const url = seen.match(/listening on (http\S+)/)?.[1];
  if (!url) throw new Error(`kmlf server exited before listening:\n${seen}`);
  for (const path of paths) {
    const res: Response = await fetch(`${url}${path}`);
    await res.body?.cancel();
    assert.equal(res.status, 200, path);
  }
  server.child.kill("SIGINT");
  assert.equal((await server.finish()).code, 0);
  const urls: string[] = [];
  for (const entry of Deno.readDirSync(coverage)) {
    urls.push(JSON.parse(Deno.readTextFileSync(join(coverage, entry.name))).url);
  }
  return urls;
}

const loaded = (urls: string[], modules: string[]) =>
  modules.filter((m) => urls.some((u) => u.endsWith(`/${m}`)));

Deno.test("kmlf server answers /health without evaluating its store's or its API's code", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-start-" });
  try {
    const urls = await evaluatedBy(dir, ["/health"]);
    // The schema was checked before listening, so the list is the server's own.
    assert.deepEqual(loaded(urls, ["lib/tracking/stores/sqlite/schema.ts"]), [
      "lib/tracking/stores/sqlite/schema.ts",
    ]);
    assert.deepEqual(loaded(urls, AFTER_FIRST_REQUEST), []);
    // A command that never loads project code skips the project check (cli.ts).
    assert.deepEqual(loaded(urls, ["lib/cli/project_runtime.ts"]), []);
    // …and the first API request loads them.
    const urlsWithApi = await evaluatedBy(dir, [
      "/health",
      "/api/2.0/mlflow/experiments/get?experiment_id=0",
    ]);
    assert.deepEqual(loaded(urlsWithApi, AFTER_FIRST_REQUEST), AFTER_FIRST_REQUEST);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli.ts skips the project check for exactly the commands project_runtime.ts runs where they are", async () => {
  const source = await Deno.readTextFile(CLI_PATH);
  const list = source.match(/const PLAIN_COMMANDS = (\[[^\]]*\]);/)?.[1];
  assert.ok(list, "cli.ts keeps its copy of PLAIN_COMMANDS");
  assert.deepEqual(new Set(JSON.parse(list)), PLAIN_COMMANDS);
});
