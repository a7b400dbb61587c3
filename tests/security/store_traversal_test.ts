/**
 * Every store refuses a user-supplied name that would become a path outside it, on reads as on writes:
 * the file store (keys, run ids, experiment ids, planted symlinks), the SQLite and PostgreSQL stores
 * (keys are not paths there: an odd key finds nothing, as in MLflow's SQL store; run ids follow MLflow's
 * rule where it checks them; artifact paths are refused), the REST client (refuses before sending), and
 * the local and HTTP artifact repositories.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import {
  HttpArtifactRepository,
  LocalArtifactRepository,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";
import { HttpClient } from "../../lib/tracking/http_client.ts";
import {
  fileRunDir,
  SECRET,
  type SecurityFixture,
  securityFixture,
  type SecurityStoreKind,
} from "./security_fixture.ts";
import { BAD_EXPERIMENT_IDS, BAD_RUN_IDS, leaksPath, TRAVERSAL_NAMES } from "./traversal_variants.ts";

/** Asserts a TrackingError with one of `codes` whose message shows no folder of the machine. */
async function refused(
  fx: SecurityFixture,
  call: () => Promise<unknown>,
  codes: readonly string[],
  what: string,
): Promise<void> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    assert.ok(error instanceof TrackingError, `${what}: expected a TrackingError, got ${error}`);
    assert.ok(codes.includes(error.code), `${what}: code ${error.code} (${error.message})`);
    assert.ok(!leaksPath(error.message, fx.dir), `${what}: the message shows a path: ${error.message}`);
    assert.ok(!error.message.includes("31337") && !error.message.includes("TOP-SECRET"), what);
    return;
  }
  assert.fail(`${what}: expected a refusal, got ${JSON.stringify(result)?.slice(0, 200)}`);
}

/** A call that either answers without the secret or fails with a user error (never 5xx, never a path). */
async function harmless(fx: SecurityFixture, call: () => Promise<unknown>, what: string): Promise<void> {
  try {
    const result = await call();
    assert.ok(!JSON.stringify(result ?? null).includes("TOP-SECRET"), what);
  } catch (error) {
    assert.ok(error instanceof TrackingError, `${what}: expected a TrackingError, got ${error}`);
    assert.ok(!["INTERNAL_ERROR", "INVALID_STATE"].includes(error.code), `${what}: ${error.message}`);
    assert.ok(!leaksPath(error.message, fx.dir), `${what}: the message shows a path: ${error.message}`);
  }
}

async function withFixture(kind: SecurityStoreKind, fn: (fx: SecurityFixture) => Promise<void>) {
  const fx = await securityFixture(kind);
  try {
    await fn(fx);
    // Nothing outside the store was changed or removed.
    assert.equal(await Deno.readTextFile(fx.secretPath), SECRET);
    assert.deepEqual([...Deno.readDirSync(fx.outsideDir)].map((e) => e.name), ["secret"]);
  } finally {
    await fx.dispose();
  }
}

/** Reads and writes of every key kind with every traversal name. */
/**
 * `reads`: also reads and deletes by key. `historyHarmless`: a history read is answered, not refused, as MLflow's
 * SQL-backed server answers it (no points: a key there is a column value, never a path).
 */
async function keysRefused(
  fx: SecurityFixture,
  store: TrackingStore,
  label: string,
  reads: boolean,
  historyHarmless = false,
) {
  for (const name of TRAVERSAL_NAMES) {
    const what = `${label} ${JSON.stringify(name)}`;
    const invalid = ["INVALID_PARAMETER_VALUE"];
    await refused(fx, () => store.logBatch(fx.runId, { params: [{ key: name, value: "x" }] }), invalid, what);
    await refused(fx, () => store.logBatch(fx.runId, { tags: [{ key: name, value: "x" }] }), invalid, what);
    await refused(
      fx,
      () => store.logBatch(fx.runId, { metrics: [{ key: name, value: 1, timestamp: 1, step: 0 }] }),
      invalid,
      what,
    );
    await refused(fx, () => store.setExperimentTag(fx.experimentId, name, "x"), invalid, what);
    if (reads) {
      const history = () => store.getMetricHistory(fx.runId, name);
      if (historyHarmless) await harmless(fx, history, `${what} history`);
      else await refused(fx, history, invalid, `${what} history`);
      await refused(fx, () => store.deleteTag(fx.runId, name), invalid, `${what} delete-tag`);
      await refused(fx, () => store.deleteExperimentTag(fx.experimentId, name), invalid, `${what} exp tag`);
    }
  }
}

Deno.test("file store: every traversal key is refused on reads and writes, with no path in the message", () =>
  withFixture("file", async (fx) => {
    await keysRefused(fx, fx.store, "file", true);
    // The run is untouched and readable.
    const run = await fx.store.getRun(fx.runId);
    assert.deepEqual(run.data.params, { lr: "0.1" });
    assert.deepEqual(Object.keys(run.data.metrics), ["loss"]);
  }));

Deno.test("file store: run ids and experiment ids that are paths are refused (INVALID_PARAMETER_VALUE)", () =>
  withFixture("file", async (fx) => {
    const invalid = ["INVALID_PARAMETER_VALUE"];
    for (const id of BAD_RUN_IDS) {
      const what = `run id ${JSON.stringify(id)}`;
      await refused(fx, () => fx.store.getRun(id), invalid, what);
      await refused(fx, () => fx.store.getMetricHistory(id, "loss"), invalid, what);
      await refused(fx, () => fx.store.setTag(id, "t", "v"), invalid, what);
      await refused(fx, () => fx.store.deleteRun(id), invalid, what);
      await refused(fx, () => fx.store.updateRun(id, { status: "FAILED" }), invalid, what);
    }
    for (const id of BAD_EXPERIMENT_IDS) {
      const what = `experiment id ${JSON.stringify(id)}`;
      await refused(fx, () => fx.store.getExperiment(id), invalid, what);
      await refused(fx, () => fx.store.createRun({ experimentId: id }), invalid, what);
      await refused(fx, () => fx.store.setExperimentTag(id, "t", "v"), invalid, what);
      // MLflow's file store looks the id up without checking its form on delete: "not found" (404).
      await refused(fx, () => fx.store.deleteExperiment(id), ["RESOURCE_DOES_NOT_EXIST"], what);
      // A search over an id that cannot exist finds nothing (MLflow answers an empty page too).
      assert.deepEqual((await fx.store.searchRuns({ experimentIds: [id] })).runs, [], what);
    }
  }));

Deno.test("file store: symlinks planted in a run or experiment lead nowhere outside it", () =>
  withFixture("file", async (fx) => {
    const runDir = fileRunDir(fx);
    await Deno.symlink(fx.secretPath, join(runDir, "metrics", "linked"));
    await Deno.symlink(fx.outsideDir, join(runDir, "metrics", "dir"));
    await Deno.symlink(fx.secretPath, join(runDir, "params", "linked"));
    await Deno.symlink(fx.outsideDir, join(runDir, "params", "dir"));
    await Deno.symlink(fx.outsideDir, join(runDir, "tags", "dir"));
    const expTags = join(runDir, "..", "tags");
    await Deno.mkdir(expTags, { recursive: true });
    await Deno.symlink(fx.outsideDir, join(expTags, "dir"));
    // An in-store link is still followed (a store may be rearranged with links).
    await Deno.symlink(join(runDir, "metrics", "loss"), join(runDir, "metrics", "alias"));
    const invalid = ["INVALID_PARAMETER_VALUE"];
    for (const key of ["linked", "dir/secret"]) {
      await refused(fx, () => fx.store.getMetricHistory(fx.runId, key), invalid, `history ${key}`);
    }
    assert.deepEqual((await fx.store.getMetricHistory(fx.runId, "alias")).metrics.map((m) => m.value), [0.5]);
    // Reads of the whole run leave the links out.
    const run = await fx.store.getRun(fx.runId);
    assert.deepEqual(Object.keys(run.data.metrics).sort(), ["alias", "loss"]);
    assert.deepEqual(run.data.params, { lr: "0.1" });
    assert.ok(!JSON.stringify(run).includes("TOP-SECRET"));
    assert.ok(!JSON.stringify(await fx.store.getExperiment(fx.experimentId)).includes("TOP-SECRET"));
    // Writes through a link are refused, and the outside folder stays as it was.
    await refused(
      fx,
      () => fx.store.logBatch(fx.runId, { metrics: [{ key: "dir/new", value: 1, timestamp: 1, step: 0 }] }),
      invalid,
      "metric write through a link",
    );
    await refused(
      fx,
      () => fx.store.logBatch(fx.runId, { params: [{ key: "dir/p", value: "x" }] }),
      invalid,
      "param write through a link",
    );
    await refused(fx, () => fx.store.setTag(fx.runId, "dir/t", "x"), invalid, "tag write through a link");
    await refused(
      fx,
      () => fx.store.logBatch(fx.runId, { params: [{ key: "linked", value: "x" }] }),
      invalid,
      "param write over a link",
    );
    await refused(fx, () => fx.store.deleteTag(fx.runId, "dir/secret"), invalid, "tag delete through a link");
    await refused(
      fx,
      () => fx.store.setExperimentTag(fx.experimentId, "dir/t", "x"),
      invalid,
      "experiment tag write through a link",
    );
    assert.deepEqual([...Deno.readDirSync(fx.outsideDir)].map((e) => e.name), ["secret"]);
    assert.equal(await Deno.readTextFile(fx.secretPath), SECRET);
  }));

for (const kind of ["sqlite", "postgresql"] as const) {
  Deno.test(`${kind} store: keys are not paths there, so odd keys find nothing; writes are refused`, () =>
    withFixture(kind, async (fx) => {
      await keysRefused(fx, fx.store, kind, false);
      for (const name of TRAVERSAL_NAMES) {
        // MLflow's SQL store answers an empty history for any unknown key; nothing is read from disk.
        assert.deepEqual((await fx.store.getMetricHistory(fx.runId, name)).metrics, [], JSON.stringify(name));
      }
      // Ids are looked up, never turned into paths: a bad one finds nothing (its exact answer is MLflow's).
      for (const id of BAD_RUN_IDS) {
        await harmless(fx, () => fx.store.getRun(id), `run id ${JSON.stringify(id)}`);
        await harmless(fx, () => fx.store.getMetricHistory(id, "loss"), `run id ${JSON.stringify(id)}`);
      }
      for (const id of BAD_EXPERIMENT_IDS) {
        await harmless(fx, () => fx.store.getExperiment(id), `experiment id ${JSON.stringify(id)}`);
      }
      // The run is untouched and readable.
      const run = await fx.store.getRun(fx.runId);
      assert.deepEqual(run.data.params, { lr: "0.1" });
      assert.deepEqual(Object.keys(run.data.metrics), ["loss"]);
    }));

  Deno.test(`${kind} store: run ids that are not ids are refused where MLflow checks them (log-batch, inputs)`, () =>
    withFixture(kind, async (fx) => {
      for (const id of BAD_RUN_IDS) {
        const what = `run id ${JSON.stringify(id)}`;
        await refused(
          fx,
          () => fx.store.logBatch(id, { params: [{ key: "p", value: "x" }] }),
          ["INVALID_PARAMETER_VALUE"],
          what,
        );
        await refused(
          fx,
          () =>
            fx.store.logInputs(id, [{
              dataset: { name: "d", digest: "1", sourceType: "local", source: "x" },
              tags: {},
            }]),
          ["INVALID_PARAMETER_VALUE"],
          what,
        );
      }
    }));
}

for (const kind of ["file", "sqlite", "postgresql"] as const) {
  Deno.test(`rest client over a ${kind}-store server: traversal keys are refused (a SQL store's history read of one answers nothing)`, () =>
    withFixture(kind, async (fx) => {
      const rest = await fx.rest();
      await keysRefused(fx, rest, `rest/${kind}`, true, kind !== "file");
      for (const id of BAD_RUN_IDS) {
        const what = `run id ${JSON.stringify(id)}`;
        if (kind === "file") {
          await refused(fx, () => rest.getMetricHistory(id, "loss"), ["INVALID_PARAMETER_VALUE"], what);
          await refused(fx, () => rest.getRun(id), ["INVALID_PARAMETER_VALUE"], what);
        } else {
          await harmless(fx, () => rest.getMetricHistory(id, "loss"), what);
          await harmless(fx, () => rest.getRun(id), what);
        }
      }
    }));

  Deno.test(`local artifact repository of a ${kind} store: traversal paths and links out are refused`, () =>
    withFixture(kind, async (fx) => {
      const run = await fx.store.getRun(fx.runId);
      const repo = fx.store.getArtifactRepository(run.info.artifactUri);
      assert.ok(repo instanceof LocalArtifactRepository);
      const invalid = ["INVALID_PARAMETER_VALUE"];
      const out = join(fx.dir, "download");
      for (
        const path of [
          ...TRAVERSAL_NAMES.filter((p) => p !== ".."),
          "..",
          "link-to-secret",
          "link-to-outside/secret",
        ]
      ) {
        const what = `artifact ${JSON.stringify(path)}`;
        await refused(fx, () => repo.readArtifact(path), invalid, `${what} read`);
        await refused(fx, () => repo.listArtifacts(path), invalid, `${what} list`);
        await refused(fx, () => repo.downloadArtifacts(path, out), invalid, `${what} download`);
        await refused(fx, () => repo.writeArtifact(path, "x"), invalid, `${what} write`);
        await refused(fx, () => repo.deleteArtifacts(path), invalid, `${what} delete`);
      }
      // Listing and downloading the whole root leave the links out.
      assert.deepEqual((await repo.listArtifacts(undefined, { recursive: true })).map((f) => f.path), [
        "notes.txt",
      ]);
      await repo.downloadArtifacts("", out);
      assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), ["notes.txt"]);
    }));
}

Deno.test("http artifact repository: a root or a listed name with '..' from a server is refused", async () => {
  const http = new HttpClient("http://127.0.0.1:9", { env: () => undefined, maxRetries: 0 });
  for (const root of ["1/../../x", "%2e%2e/x", "1/run/artifacts/..\\.."]) {
    assert.throws(
      () => new HttpArtifactRepository(`mlflow-artifacts:/${root}`, http, { endpoint: "http://h/x", root }),
      (e: unknown) => e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE",
      root,
    );
  }
  // A server listing a name a download would write outside its folder.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ files: [{ path: "a\\..\\..\\evil", is_dir: false, file_size: 1 }] }),
  );
  try {
    const endpoint = `http://127.0.0.1:${server.addr.port}/api/2.0/mlflow-artifacts/artifacts`;
    const client = new HttpClient(`http://127.0.0.1:${server.addr.port}`, {
      env: () => undefined,
      maxRetries: 0,
    });
    const repo = new HttpArtifactRepository("mlflow-artifacts:/1/r/artifacts", client, {
      endpoint,
      root: "1/r/artifacts",
    });
    await assert.rejects(
      repo.listArtifacts(),
      (e: unknown) => e instanceof TrackingError && e.code === "tracking/bad-response",
    );
  } finally {
    await server.shutdown();
  }
});
