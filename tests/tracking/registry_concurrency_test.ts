/**
 * Processes creating versions of one registered model at once get distinct, gap-free version numbers,
 * in the SQLite store, in PostgreSQL (a real server started by the suite) and in the file store.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";

const WORKER = new URL("./registry_version_writer.ts", import.meta.url).pathname;

async function raceVersions(storePath: string, workers: number, each: number): Promise<void> {
  const setup = await openStore(storePath, { baseDir: Deno.cwd() });
  await setup.registry.createRegisteredModel("shared");
  await setup.close();
  const outputs = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "--allow-net=127.0.0.1",
          WORKER,
          storePath,
          String(w),
          String(each),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output()),
  );
  const numbers = outputs.flatMap((o, w) => {
    assert.equal(o.code, 0, `worker ${w} failed: ${new TextDecoder().decode(o.stderr)}`);
    return new TextDecoder().decode(o.stdout).trim().split("\n").map(Number);
  });
  assert.equal(
    new Set(numbers).size,
    workers * each,
    `duplicate version numbers: ${numbers.sort((a, b) => a - b)}`,
  );
  assert.deepEqual(numbers.sort((a, b) => a - b), Array.from({ length: workers * each }, (_, i) => i + 1));
  const store = await openStore(storePath, { baseDir: Deno.cwd() });
  try {
    const { modelVersions } = await store.registry.searchModelVersions({ filter: "name = 'shared'" });
    assert.equal(modelVersions.length, workers * each);
    const perWorker = new Map<string, number>();
    for (const v of modelVersions) perWorker.set(v.tags.worker, (perWorker.get(v.tags.worker) ?? 0) + 1);
    assert.deepEqual([...perWorker.values()], Array(workers).fill(each), "every version kept its own tags");
    const model = await store.registry.getRegisteredModel("shared");
    assert.equal(model.latestVersions[0].version, String(workers * each));
  } finally {
    await store.close();
  }
}

Deno.test("three processes creating versions of one model in a SQLite store get distinct numbers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-race-" });
  try {
    await raceVersions(join(dir, "mlflow.db"), 3, 15);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("three processes creating versions of one model in PostgreSQL get distinct numbers", async () => {
  await raceVersions(await (await sharedPostgres()).createDatabase(), 3, 15);
});

Deno.test("three processes creating versions of one model in a file store get distinct numbers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-race-" });
  try {
    await raceVersions(join(dir, "mlruns"), 3, 15);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
