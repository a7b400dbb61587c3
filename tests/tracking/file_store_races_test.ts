/**
 * The file store's check-then-write sequences under concurrency: processes and parallel requests creating
 * one experiment name (one wins, the others get RESOURCE_ALREADY_EXISTS, as with SQLite), renames onto one
 * name, one param logged with different values, a run created while its experiment is deleted, a lock
 * left by a dead process, and `kmlf run` ×8 starting runs in one new experiment.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TrackingError } from "../../lib/errors.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

const WORKER = new URL("./file_store_race_worker.ts", import.meta.url).pathname;

async function withStore(fn: (store: FileStore, root: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-races-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  try {
    await fn(store, join(dir, "mlruns"));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function settle<T>(calls: Promise<T>[]) {
  const results = await Promise.allSettled(calls);
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const codes = results.flatMap((r) => r.status === "rejected" ? [(r.reason as TrackingError).code] : []);
  return { ok, codes };
}

Deno.test("8 processes creating the same experiments in one file store: each name is created once", async () => {
  await withStore(async (_store, root) => {
    const names = ["alpha", "beta", "gamma", "delta"];
    const children = Array.from({ length: 8 }, (_, w) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          WORKER,
          root,
          String(w),
          ...(w % 2 ? [...names].reverse() : names),
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn());
    // All 8 are started and waiting: let them go at once.
    const ready = () =>
      [...Deno.readDirSync(join(root, ".."))].filter((e) => e.name.startsWith("ready-")).length;
    while (ready() < 8) await new Promise((r) => setTimeout(r, 5));
    await Deno.writeTextFile(join(root, "..", "go"), "");
    const outputs = await Promise.all(children.map((c) => c.output()));
    const lines = outputs.flatMap((o, w) => {
      assert.equal(o.code, 0, `worker ${w}: ${new TextDecoder().decode(o.stderr)}`);
      return new TextDecoder().decode(o.stdout).trim().split("\n");
    });
    const reopened = await FileStore.open(root);
    const all = (await reopened.searchExperiments({ maxResults: 1000 })).experiments;
    for (const name of names) {
      assert.equal(lines.filter((l) => l.startsWith(`${name} created`)).length, 1, `${name}: ${lines}`);
      assert.equal(lines.filter((l) => l === `${name} exists`).length, 7);
      assert.equal(all.filter((e) => e.name === name).length, 1, name);
    }
    assert.ok(!(await Deno.stat(join(root, ".kmlf-lock")).then(() => true, () => false)), "lock released");
  });
});

Deno.test("16 parallel experiments/create of one name in one server: one 200, fifteen RESOURCE_ALREADY_EXISTS", async () => {
  await withStore(async (store, root) => {
    const handle = createRequestHandler(store, { artifactsDestination: join(root, "..", "art") });
    const answers = await Promise.all(Array.from({ length: 16 }, () =>
      Promise.resolve(handle(
        new Request("http://127.0.0.1:5000/api/2.0/mlflow/experiments/create", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "shared" }),
        }),
      )).then(async (r) => ({ status: r.status, body: await r.json() }))));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    const refused = answers.filter((a) => a.status !== 200);
    assert.equal(refused.length, 15);
    for (const a of refused) {
      assert.deepEqual([a.status, a.body.error_code], [400, "RESOURCE_ALREADY_EXISTS"]);
    }
    const { experiments } = await store.searchExperiments({ filter: "name = 'shared'" });
    assert.equal(experiments.length, 1);
  });
});

Deno.test("file store: parallel renames onto one name, restores and a param logged with different values race safely", async () => {
  await withStore(async (store) => {
    const ids = await Promise.all(["a", "b", "c", "d"].map((n) => store.createExperiment(n)));
    const renames = await settle(ids.map((id) => store.renameExperiment(id, "taken")));
    assert.deepEqual([renames.ok, renames.codes], [1, [
      "RESOURCE_ALREADY_EXISTS",
      "RESOURCE_ALREADY_EXISTS",
      "RESOURCE_ALREADY_EXISTS",
    ]]);
    assert.equal((await store.searchExperiments({ filter: "name = 'taken'" })).experiments.length, 1);

    const run = await store.createRun({ experimentId: ids[0] });
    const params = await settle(
      Array.from(
        { length: 8 },
        (_, i) => store.logBatch(run.info.runId, { params: [{ key: "lr", value: String(i) }] }),
      ),
    );
    assert.equal(params.ok, 1);
    assert.deepEqual(new Set(params.codes), new Set(["INVALID_PARAMETER_VALUE"]));
    const value = (await store.getRun(run.info.runId)).data.params.lr;
    assert.match(value, /^[0-7]$/);
    // The same value logged concurrently is not a conflict.
    const same = await settle(
      Array.from(
        { length: 8 },
        () => store.logBatch(run.info.runId, { params: [{ key: "seed", value: "1" }] }),
      ),
    );
    assert.equal(same.ok, 8);
  });
});

Deno.test("file store: runs created while their experiment is deleted leave no ghost experiment folder", async () => {
  await withStore(async (store, root) => {
    for (let trial = 0; trial < 8; trial++) {
      const id = await store.createExperiment(`gone-${trial}`);
      // Started a little after the delete, so they pass their "is it active?" check while it is moving.
      const later = <T>(i: number, fn: () => Promise<T>) => new Promise((r) => setTimeout(r, i % 4)).then(fn);
      const creates = Array.from(
        { length: 6 },
        (_, i) => later(i, () => store.createRun({ experimentId: id })),
      );
      const tags = Array.from(
        { length: 6 },
        (_, i) => later(i, () => store.setExperimentTag(id, `t${i}`, "v")),
      );
      await settle<unknown>([store.deleteExperiment(id), ...creates, ...tags]);
      // The experiment lives only in .trash: no folder (with or without meta.yaml) was re-created.
      assert.ok(!(await Deno.stat(join(root, id)).then(() => true, () => false)), `trial ${trial}`);
      assert.equal((await store.getExperiment(id)).lifecycleStage, "deleted");
    }
  });
});

Deno.test("file store: a lock left by a dead process is broken; a live one is waited for", async () => {
  await withStore(async (store, root) => {
    // A pid that is not running (the kernel's maximum is far below).
    await Deno.writeTextFile(join(root, ".kmlf-lock"), `2147483646 ${Date.now()}`);
    assert.ok(await store.createExperiment("after-crash"));
    // A lock held by this (live) process for 150 ms delays the next creation, then lets it through.
    await Deno.writeTextFile(join(root, ".kmlf-lock"), `${Deno.pid} ${Date.now()}`);
    setTimeout(() => Deno.removeSync(join(root, ".kmlf-lock")), 150);
    const started = Date.now();
    await store.createExperiment("after-wait");
    assert.ok(Date.now() - started >= 100, "waited for the holder");
  });
});

Deno.test("8 `kmlf run`s starting at once in a new file-store experiment: one experiment, 8 finished runs", async () => {
  const yml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml")))
    .replace("mlflow_tracking_uri: null", "mlflow_tracking_uri: mlruns");
  const dir = await demoProject({ "conf/base/mlflow.yml": yml }, { tracked: true });
  try {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => kmlf(["run", "training", "-q"], { cwd: dir })),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = await openStore("mlruns", { baseDir: dir });
    const client = new MlflowClient(store);
    const { experiments } = await store.searchExperiments({ filter: "name = 'iris'" });
    assert.equal(experiments.length, 1);
    const { runs } = await client.searchRuns([experiments[0].experimentId]);
    assert.equal(runs.length, 8);
    assert.ok(runs.every((r) => r.info.status === "FINISHED"));
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
