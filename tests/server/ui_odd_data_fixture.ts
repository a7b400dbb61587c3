/**
 * A small SQLite store written straight through the store API (no pipeline runs, so it builds in well
 * under a second) holding what a careful MLflow user throws at the web UI: models registered from a run
 * (with a stage and an alias), a run another user purges behind the page's back, unicode and very long
 * names, hundreds of params, metrics with NaN / ±Infinity / one point / negative steps / values of 1e8, and artifacts
 * with unicode and nested names.
 * Run directly to browse it: `deno run -A tests/server/ui_odd_data_fixture.ts [port]`.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { localPathOfUri, SqliteStore } from "../../lib/tracking/mod.ts";
import { serveFixture } from "./ui_fixture.ts";

/** A run name longer than any column: must wrap or ellipsize, never widen the page. */
export const LONG_NAME = "a-very-long-run-name-" + "that-keeps-going-".repeat(12) + "end";
/** Unicode in names, keys and values (combining marks, CJK, emoji, right-to-left). */
export const UNICODE_NAME = "模型-ü̈ber-🚀-نموذج";

/** A pasted JSON config: 5,000+ characters in one param (MLflow allows 6,000). */
/** A param name far longer than a menu is wide: menus cut it with "…", never grow off the page. */
export const LONG_PARAM = "optimizer." + "nested_scheduler_settings.".repeat(6) + "learning_rate";

export const LONG_VALUE = JSON.stringify({ layers: Array.from({ length: 400 }, (_, i) => `dense_${i}`) });

/** What {@link buildOddFixture} created. */
export interface OddFixture {
  dir: string;
  dbPath: string;
  store: SqliteStore;
  experimentId: string;
  /** Registered as `iris` v1 (Staging, alias champion) and `iris-archive` v1. */
  registeredRunId: string;
  /** Logged a model, never registered. */
  plainRunId: string;
  /** Deleted for good by {@link purgeRun} while a page shows it. */
  doomedRunId: string;
  /** 300 params, a unicode name, {@link LONG_PARAM}, a long-named metric. */
  wideRunId: string;
  /** Metrics: one point, NaN, ±Infinity, negative steps, a constant series. */
  oddMetricsRunId: string;
  /** Named {@link LONG_NAME}. */
  longRunId: string;
  close(): Promise<void>;
}

async function finish(store: SqliteStore, runId: string) {
  await store.updateRun(runId, { status: "FINISHED", endTime: Date.now() });
}

/** Builds the store in a temp directory. */
export async function buildOddFixture(): Promise<OddFixture> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-odd-" });
  const dbPath = join(dir, "mlflow.db");
  const store = SqliteStore.open(dbPath, { artifactRoot: join(dir, "mlartifacts") });
  const experimentId = await store.createExperiment("odd data");
  const newRun = async (runName: string) =>
    (await store.createRun({ experimentId, runName, startTime: Date.now() })).info;

  const withModel = async (runName: string) => {
    const info = await newRun(runName);
    const root = localPathOfUri(info.artifactUri)!;
    await Deno.mkdir(join(root, "model"), { recursive: true });
    await Deno.writeTextFile(join(root, "model", "MLmodel"), "artifact_path: model\nflavors: {}\n");
    await store.logBatch(info.runId, { metrics: [{ key: "accuracy", value: 0.9, timestamp: 1, step: 0 }] });
    await finish(store, info.runId);
    return info;
  };
  const registered = await withModel("registered");
  const plain = await withModel("plain");
  const doomed = await withModel("doomed");

  const r = store.registry;
  for (const name of ["iris", "iris-archive"]) {
    await r.createRegisteredModel(name);
    await r.createModelVersion(name, `${registered.artifactUri}/model`, { runId: registered.runId });
  }
  await r.transitionModelVersionStage("iris", "1", "Staging");
  await r.setRegisteredModelAlias("iris", "champion", "1");
  // A version of another run's model: must not show on the registered run's page.
  await r.createModelVersion("iris", `${plain.artifactUri}/model`, { runId: plain.runId });

  const wide = await newRun(UNICODE_NAME);
  for (let start = 0; start < 300; start += 100) {
    await store.logBatch(wide.runId, {
      params: Array.from({ length: 100 }, (_, i) => ({
        key: `p${String(start + i).padStart(3, "0")}`,
        value: `value ${start + i}`,
      })),
    });
  }
  await store.logBatch(wide.runId, {
    params: [
      { key: "ключ_über", value: UNICODE_NAME },
      { key: "config", value: LONG_VALUE },
      { key: LONG_PARAM, value: "0.01" },
    ],
    metrics: [{ key: `metric/${"deep/".repeat(20)}loss`, value: 1.5, timestamp: 1, step: 0 }],
    tags: [{ key: "заметка", value: UNICODE_NAME }],
  });
  await finish(store, wide.runId);

  const odd = await newRun("odd metrics");
  const series = (key: string, values: number[], firstStep = 0) =>
    values.map((value, i) => ({ key, value, timestamp: 1_700_000_000_000 + i, step: firstStep + i }));
  await store.logBatch(odd.runId, {
    metrics: [
      ...series("single", [42]),
      ...series("with_nan", [1, NaN, 3, 2]),
      ...series("with_inf", [1, Infinity, -Infinity, 0.5]),
      ...series("negative_steps", [3, 2, 1], -2),
      ...series("constant", [7, 7, 7, 7]),
      ...series("all_nan", [NaN, NaN]),
      // A warm-up logged below step 0 only; values whose plain labels overflow the chart's margin.
      ...series("warm_up", [5, 4, 3], -3),
      ...series("large_values", [123456789.5, 1, 0]),
      // Values around 1e-300: the axis once read "0 0 0 0".
      ...series("tiny_values", [1e-300, 4e-300, 2.5e-300]),
    ],
  });
  const oddRoot = localPathOfUri(odd.artifactUri)!;
  await Deno.mkdir(join(oddRoot, "déjà vu", "深い"), { recursive: true });
  await Deno.writeTextFile(join(oddRoot, "déjà vu", "深い", "naïve #1.txt"), "unicode path ✓\n");
  await Deno.mkdir(join(oddRoot, "run #2"));
  await Deno.writeTextFile(join(oddRoot, "run #2", "a.txt"), "in a folder MLflow's server cannot list\n");
  await Deno.writeTextFile(join(oddRoot, "empty.txt"), "");
  await Deno.writeTextFile(join(oddRoot, "100% sure?.json"), '{"ok": true}\n');
  // Names MLflow's server reads decoded ("a%2Fb.txt" as a/b.txt, "x%41y" as xAy): kmlf's serves them as written.
  await Deno.mkdir(join(oddRoot, "a"));
  await Deno.writeTextFile(join(oddRoot, "a", "b.txt"), "the file a/b.txt\n");
  await Deno.writeTextFile(join(oddRoot, "a%2Fb.txt"), "the file a%2Fb.txt\n");
  await Deno.mkdir(join(oddRoot, "x%41y"));
  await Deno.writeTextFile(join(oddRoot, "x%41y", "in.txt"), "in the folder x%41y\n");
  await finish(store, odd.runId);

  const long = await newRun(LONG_NAME);
  await finish(store, long.runId);

  return {
    dir,
    dbPath,
    store,
    experimentId,
    registeredRunId: registered.runId,
    plainRunId: plain.runId,
    doomedRunId: doomed.runId,
    wideRunId: wide.runId,
    oddMetricsRunId: odd.runId,
    longRunId: long.runId,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Deletes a run for good through a second connection to the database, as `mlflow gc` run by another
 * user does: a server asked about it afterwards answers RESOURCE_DOES_NOT_EXIST.
 */
export function purgeRun(dbPath: string, runId: string): void {
  const db = new DatabaseSync(dbPath);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    for (const table of ["latest_metrics", "metrics", "params", "tags"]) {
      db.prepare(`DELETE FROM ${table} WHERE run_uuid = ?`).run(runId);
    }
    db.prepare("DELETE FROM runs WHERE run_uuid = ?").run(runId);
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  const f = await buildOddFixture();
  const { url } = serveFixture(f.store, Number(Deno.args[0] ?? 5056));
  console.log(`${url}/#/experiments/${f.experimentId}  (store ${f.dbPath}; Ctrl-C to stop)`);
}
