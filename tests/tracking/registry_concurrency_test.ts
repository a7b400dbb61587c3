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

Deno.test("file store: a description set while another writer adds versions is never lost (the model lock)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-race-" });
  // Two stores on one folder, as two processes would have; adding a version rewrites the model's
  // meta.yaml (its last_updated_timestamp), which must not put back a description set meanwhile.
  const [a, b] = [
    await openStore(join(dir, "mlruns"), { baseDir: dir }),
    await openStore(join(dir, "mlruns"), { baseDir: dir }),
  ];
  try {
    for (let trial = 0; trial < 12; trial++) {
      const name = `m${trial}`;
      await a.registry.createRegisteredModel(name);
      let done = false;
      const adding = (async () => {
        for (let i = 0; !done || i < 3; i++) await a.registry.createModelVersion(name, `s3://b/${i}`);
      })();
      for (let i = 1; i <= 4; i++) await b.registry.updateRegisteredModel(name, `description ${i}`);
      done = true;
      await adding;
      assert.equal(
        (await b.registry.getRegisteredModel(name)).description,
        "description 4",
        `trial ${trial}`,
      );
    }
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store: a model's lock left by a dead process is broken at once; a deleted model is RESOURCE_DOES_NOT_EXIST", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-lock-" });
  const store = await openStore(join(dir, "mlruns"), { baseDir: dir });
  try {
    await store.registry.createRegisteredModel("iris");
    // A pid that is not running (the kernel's maximum is far below), written just now: only the pid
    // says it is stale (the store's lock and the model locks are one mechanism).
    await Deno.writeTextFile(join(dir, "mlruns/models/iris/.kmlf-lock"), `2147483646 ${Date.now()}`);
    const started = Date.now();
    assert.equal((await store.registry.createModelVersion("iris", "s3://b/1")).version, "1");
    assert.ok(Date.now() - started < 5_000, "did not wait for the stale lock to age");
    // Writers queued behind a delete find the model gone.
    const [deleted, late] = await Promise.allSettled([
      store.registry.deleteRegisteredModel("iris"),
      store.registry.updateRegisteredModel("iris", "too late"),
    ]);
    assert.equal(deleted.status, "fulfilled");
    assert.equal(late.status, "rejected");
    assert.equal((late as PromiseRejectedResult).reason.code, "RESOURCE_DOES_NOT_EXIST");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
