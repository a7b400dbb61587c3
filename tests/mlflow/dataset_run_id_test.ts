/**
 * A `run_id` on an Mlflow dataset that names no run (or a run without the artifact) fails with the store's
 * words plus what to fix in the catalog entry, for every dataset that takes one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatasetError } from "../../lib/errors.ts";
import { builtinRegistry, Catalog, type Dataset, JsonDataset } from "../../lib/catalog/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import {
  MlflowArtifactDataset,
  MlflowMetricDataset,
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
  MlflowRunState,
  registerMlflowDatasets,
} from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

const MISSING = "0123456789abcdef0123456789abcdef";

for (const uri of ["mlflow.db", "mlruns"]) {
  Deno.test(`Mlflow datasets (${uri}): a run_id naming no run says to fix run_id of the dataset`, async () => {
    const dir = await Deno.makeTempDir();
    const client = new MlflowClient(await openStore(uri, { baseDir: dir }), { processHooks: false });
    const run = await client.createRun("0");
    const state = new MlflowRunState();
    state.activate(client, run.info.runId);
    const inner = () => new JsonDataset({ filepath: join(dir, "scores.json") });
    try {
      const missingRun = (e: unknown) =>
        e instanceof DatasetError && e.message.includes(MISSING) && /run_id of "scores"/.test(e.hint ?? "");
      const datasets: Dataset[] = [
        new MlflowMetricDataset({ name: "scores", key: "scores", state, runId: MISSING }),
        new MlflowMetricHistoryDataset({ name: "scores", key: "scores", state, runId: MISSING }),
        new MlflowMetricsHistoryDataset({ name: "scores", prefix: "scores", state, runId: MISSING }),
      ];
      for (const ds of datasets) {
        await assert.rejects(async () => await ds.load(), missingRun, ds.constructor.name);
      }
      await assert.rejects(async () => await datasets[0].save(1), missingRun);
      await assert.rejects(async () => await datasets[1].save([1]), missingRun);
      await assert.rejects(async () => await datasets[2].save({ a: { value: 1, step: 0 } }), missingRun);
      const artifact = new MlflowArtifactDataset({ name: "scores", inner: inner(), state, runId: MISSING });
      await assert.rejects(() => artifact.load(), missingRun);
      // The local file is written before the run is asked for: nothing the node made is lost.
      await assert.rejects(() => artifact.save({ a: 1 }), missingRun);
      assert.deepEqual(await inner().load(), { a: 1 });
      const noArtifact = new MlflowArtifactDataset({
        name: "scores",
        inner: inner(),
        state,
        runId: run.info.runId,
      });
      await assert.rejects(
        () => noArtifact.load(),
        (e: unknown) => e instanceof DatasetError && /artifact_path of "scores"/.test(e.hint ?? ""),
      );
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("MlflowArtifactDataset: an artifact_path escaping the run's artifacts is refused when the catalog is read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const path of ["../x", "a/../../b", "/etc", "C:/x"]) {
      await assert.rejects(
        () =>
          catalogWithoutRun(
            dir,
            `art:\n  type: mlflow_artifact\n  artifact_path: "${path}"\n  dataset: {type: json, filepath: x.json}\n`,
          ),
        (e: unknown) =>
          e instanceof DatasetError && e.message.includes("art.artifact_path") && e.source?.line === 3,
        path,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MlflowArtifactDataset: a problem of the wrapped dataset names art.dataset.<key>, not a key of the wrapper", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => catalogWithoutRun(dir, "art:\n  type: mlflow_artifact\n  dataset:\n    type: json\n"),
      (e: unknown) => e instanceof DatasetError && e.message.includes('"art.dataset.filepath"') && !!e.source,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MlflowArtifactDataset with run_id loads a versioned dataset where no local version exists yet (a fresh checkout)", async () => {
  const dir = await Deno.makeTempDir();
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }), { processHooks: false });
  try {
    const run = await client.createRun("0");
    const state = new MlflowRunState();
    state.activate(client, run.info.runId);
    const catalogOf = async (yaml: string, saveVersion: string) => {
      const registry = builtinRegistry();
      registerMlflowDatasets(registry, state);
      const src = parseYaml(yaml, join(dir, "catalog.yml"));
      return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
        projectRoot: dir,
        registry,
        saveVersion,
      });
    };
    const entry =
      "  type: mlflow_artifact\n  dataset: {type: json, filepath: data/a.json, versioned: true}\n";
    await (await catalogOf(`art:\n${entry}`, "2026-01-01T00.00.00.000Z")).save("art", { a: 1 });
    await Deno.remove(join(dir, "data"), { recursive: true });
    const reading = await catalogOf(
      `art:\n  run_id: ${run.info.runId}\n${entry}`,
      "2026-01-02T00.00.00.000Z",
    );
    assert.deepEqual(await reading.load("art"), { a: 1 });
    // A pinned version this checkout lacks is downloaded into its own folder, as kedro-mlflow does; a
    // catalog without run_id has no download to fall back on and lists its local versions instead.
    await Deno.remove(join(dir, "data"), { recursive: true });
    const pinnedCatalog = await Catalog.fromConfig(
      {
        data: parseYaml(`art:\n  run_id: ${run.info.runId}\n${entry}`, join(dir, "c.yml")).value as Record<
          string,
          unknown
        >,
        locate: () => undefined,
      },
      {
        projectRoot: dir,
        registry: (() => {
          const r = builtinRegistry();
          registerMlflowDatasets(r, state);
          return r;
        })(),
        loadVersions: { art: "2026-01-01T00.00.00.000Z" },
      },
    );
    assert.equal((await pinnedCatalog.get("art")).listVersions, undefined, "run_id: no local pre-check");
    assert.deepEqual(await pinnedCatalog.load("art"), { a: 1 });
    assert.ok((await Deno.stat(join(dir, "data/a.json/2026-01-01T00.00.00.000Z/a.json"))).isFile);
    const local = await catalogOf(`art:\n${entry}`, "2026-01-04T00.00.00.000Z");
    assert.deepEqual(await (await local.get("art")).listVersions?.(), ["2026-01-01T00.00.00.000Z"]);
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

// The catalog of `yaml` (written as <dir>/catalog.yml) with the Mlflow datasets and no active run.
async function catalogWithoutRun(dir: string, yaml: string): Promise<Catalog> {
  const registry = builtinRegistry();
  registerMlflowDatasets(registry, new MlflowRunState());
  const src = parseYaml(yaml, join(dir, "catalog.yml"));
  return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
    projectRoot: dir,
    registry,
  });
}
