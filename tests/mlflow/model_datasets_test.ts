/**
 * kedro-mlflow's three model datasets through the catalog, against a real SQLite store: the js_value
 * flavor (JSON and V8), a custom flavor class of the project, the kmlf flavor (an inference pipeline
 * logged by a training run), logging into the run, registering, loading from the registry by alias,
 * version and latest, local model folders (versioned, and wrapped in mlflow_artifact).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import type { DatasetError } from "../../lib/errors.ts";
import { MlflowRunState, registerMlflowDatasets } from "../../lib/mlflow/mod.ts";
import { kmlfFlavor, type KmlfModel } from "../../lib/models/mod.ts";
import { MlflowClient, openStore, parseMlmodel } from "../../lib/tracking/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { trainedRulesProject } from "../models/model_helpers.ts";

interface Ctx {
  client: MlflowClient;
  state: MlflowRunState;
  runId: string;
  dir: string;
  notes: string[];
  catalog(yaml: string): Promise<Catalog>;
}

async function withRun(fn: (ctx: Ctx) => Promise<void>, storeUri = "mlflow.db"): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-model-ds-" });
  const store = await openStore(storeUri, { baseDir: dir });
  const client = new MlflowClient(store);
  const run = await client.createRun("0", { runName: "t" });
  const state = new MlflowRunState();
  const notes: string[] = [];
  state.notify = (m) => notes.push(m);
  state.activate(client, run.info.runId);
  const catalog = async (yaml: string) => {
    const registry = builtinRegistry();
    registerMlflowDatasets(registry, state, { flavors: { kmlf: () => Promise.resolve(kmlfFlavor) } });
    const src = parseYaml(yaml, join(dir, "conf/base/catalog.yml"));
    return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
      projectRoot: dir,
      registry,
    });
  };
  try {
    await fn({ client, state, runId: run.info.runId, dir, notes, catalog });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const MODEL = { threshold: 2.45, classes: ["setosa", "versicolor"], weights: [[0.1, -0.2], [1.5, 3]] };

Deno.test("MlflowModelTrackingDataset logs a js_value model into the run (MLmodel, history tag) and loads it back", async () => {
  await withRun(async ({ client, runId, notes, catalog }) => {
    const c = await catalog([
      "clf:",
      "  type: mlflow_model_tracking",
      "  flavor: js_value",
      "  save_args:",
      "    name: classifier",
      "    signature: auto",
      "    input_example: [{petal_length: 1.4, petal_width: 0.2}]",
      "",
    ].join("\n"));
    assert.equal(await c.exists("clf"), false);
    await c.save("clf", MODEL);
    const files = (await client.listArtifacts(runId, "classifier")).map((f) => f.path).sort();
    assert.deepEqual(files, [
      "classifier/MLmodel",
      "classifier/input_example.json",
      "classifier/model.json",
      "classifier/serving_input_example.json",
    ]);
    const local = await client.downloadArtifacts(runId, "classifier");
    const mlmodel = parseMlmodel(await Deno.readTextFile(join(local, "MLmodel")), "MLmodel");
    assert.deepEqual(
      { ...mlmodel.flavors.js_value, kmlf_version: "x" },
      { serialization: "json", data: "model.json", kmlf_version: "x" },
    );
    assert.equal(mlmodel.runId, runId);
    assert.equal(mlmodel.artifactPath, "classifier");
    assert.match(mlmodel.signature!.inputs, /"name": "petal_length"/);
    const history = JSON.parse((await client.getRun(runId)).data.tags["mlflow.log-model.history"]);
    assert.equal(history[0].artifact_path, "classifier");
    assert.deepEqual(Object.keys(history[0].flavors), ["js_value"]);
    assert.ok(
      notes.includes(`Dataset "clf" logged model runs:/${runId}/classifier (flavor js_value)`),
      notes.join("\n"),
    );
    assert.equal(await c.exists("clf"), true);
    // A fresh catalog reads it through load_args.model_uri.
    const reader = await catalog(
      `clf:\n  type: MlflowModelTrackingDataset\n  flavor: js_value\n  load_args: {model_uri: "runs:/${runId}/classifier"}\n`,
    );
    assert.deepEqual(await reader.load("clf"), MODEL);
    assert.deepEqual(await c.load("clf"), MODEL, "the last saved model");
  });
});

Deno.test("js_value: V8 serialization keeps Map, Set, typed arrays and Date; JSON refuses what it would change", async () => {
  await withRun(async ({ catalog, dir }) => {
    const model = {
      vocabulary: new Map([["a", 1], ["b", 2]]),
      seen: new Set(["x"]),
      weights: new Float64Array([0.5, NaN]),
      trained: new Date(0),
    };
    const c = await catalog([
      "v8: {type: mlflow_model_local, flavor: js_value, filepath: data/v8, save_args: {serialization: v8}}",
      "json: {type: mlflow_model_local, flavor: js_value, filepath: data/json}",
      "",
    ].join("\n"));
    await c.save("v8", model);
    assert.deepEqual(await c.load("v8"), model);
    await Deno.mkdir(join(dir, "data/json"), { recursive: true });
    await Deno.writeTextFile(join(dir, "data/json/keep.txt"), "the previous model");
    await assert.rejects(() => c.save("json", model), (e: DatasetError) => {
      assert.equal(e.code, "model/not-json");
      assert.match(e.message, /cannot be saved as JSON without changing it: model\.vocabulary is a Map/);
      assert.match(e.hint!, /serialization: v8/);
      return true;
    });
    assert.equal(
      await Deno.readTextFile(join(dir, "data/json/keep.txt")),
      "the previous model",
      "a failed save leaves the folder as it was",
    );
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "data"))].map((e) => e.name).sort(),
      ["json", "v8"],
      "no temporary folder left behind",
    );
  });
});

Deno.test("registered_model_name registers the logged model; MlflowModelRegistryDataset loads by alias, version, stage and latest", async () => {
  await withRun(async ({ client, runId, notes, catalog }) => {
    const writer = await catalog(
      "clf: {type: mlflow_model_tracking, flavor: js_value, save_args: {registered_model_name: rules}}\n",
    );
    await writer.save("clf", MODEL);
    await writer.save("clf", { ...MODEL, threshold: 3 }); // a second version, same artifact path
    assert.ok(
      notes.some((n) => n === 'Model registered: "rules" version 2 (dataset "clf")'),
      notes.join("\n"),
    );
    const v1 = await client.store.registry.getModelVersion("rules", "1");
    assert.equal(v1.runId, runId);
    await client.store.registry.setRegisteredModelAlias("rules", "champion", "1");
    await client.store.registry.transitionModelVersionStage("rules", "1", "Production");
    const reader = await catalog([
      "champion: {type: mlflow_model_registry, model_name: rules, alias: champion, flavor: js_value}",
      "v2: {type: kedro_mlflow.io.models.MlflowModelRegistryDataset, model_name: rules, stage_or_version: 2, flavor: js_value}",
      "production: {type: mlflow_model_registry, model_name: rules, stage_or_version: Production, flavor: js_value}",
      "latest: {type: mlflow_model_registry, model_name: rules, flavor: js_value}",
      "",
    ].join("\n"));
    // The same artifact path was logged twice, so both versions point at the last files (as in MLflow).
    assert.deepEqual((await reader.load("champion") as typeof MODEL).classes, MODEL.classes);
    for (const name of ["v2", "production", "latest"]) assert.ok(await reader.load(name));
    assert.ok(
      notes.includes(
        `Dataset "champion" loaded models:/rules@champion ("rules" version 1) from run_id='${runId}'`,
      ),
      notes.join("\n"),
    );
    assert.ok(
      notes.some((n) => n.startsWith('Dataset "latest" loaded models:/rules/latest ("rules" version 2)')),
    );
    assert.equal(await reader.exists("champion"), true);
    await assert.rejects(() => reader.save("champion", MODEL), (e: DatasetError) => {
      assert.equal(e.code, "mlflow/registry-save");
      assert.match(e.message, /The 'save' method is not implemented for MlflowModelRegistryDataset/);
      return true;
    });
    const missing = await catalog(
      "m: {type: mlflow_model_registry, model_name: rules, alias: nope, flavor: js_value}\n",
    );
    assert.equal(await missing.exists("m"), false);
    await assert.rejects(() => missing.load("m"), (e: DatasetError) => /no alias "nope"/.test(e.message));
  });
});

Deno.test("MlflowModelTrackingDataset: kedro-mlflow's errors for a save with model_uri and a load with nothing saved", async () => {
  await withRun(async ({ catalog, runId }) => {
    const c = await catalog([
      `fixed: {type: mlflow_model_tracking, flavor: js_value, load_args: {model_uri: "runs:/${runId}/m"}}`,
      "fresh: {type: mlflow_model_tracking, flavor: js_value}",
      "",
    ].join("\n"));
    await assert.rejects(() => c.save("fixed", MODEL), (e: DatasetError) => {
      assert.equal(e.code, "mlflow/model-uri-set");
      assert.match(e.message, /It is impossible to save a model when 'model_uri' is specified/);
      return true;
    });
    await assert.rejects(() => c.load("fresh"), (e: DatasetError) => {
      assert.equal(e.code, "mlflow/no-model-uri");
      assert.match(e.message, /To load from a given model_uri, you must either/);
      return true;
    });
  });
});

Deno.test("tracking disabled for the pipeline: the model is not logged, says so, and stays loadable in the run", async () => {
  await withRun(async ({ client, runId, state, notes, catalog }) => {
    state.loggingEnabled = false;
    const c = await catalog("clf: {type: mlflow_model_tracking, flavor: js_value}\n");
    await c.save("clf", MODEL);
    assert.deepEqual(await client.listArtifacts(runId), []);
    assert.ok(notes.some((n) => /Model of dataset "clf" not logged: tracking is disabled/.test(n)));
    assert.deepEqual(await c.load("clf"), MODEL);
  });
});

Deno.test("a save without a run is an error naming the dataset (no run is created)", async () => {
  await withRun(async ({ state, catalog }) => {
    state.deactivate();
    const c = await catalog("clf: {type: mlflow_model_tracking, flavor: js_value}\n");
    await assert.rejects(() => c.save("clf", MODEL), (e: DatasetError) => e.code === "mlflow/no-active-run");
  });
});

Deno.test("MlflowModelLocalFileSystemDataset: versioned folders, pinned loads, and mlflow_artifact logs the folder", async () => {
  await withRun(async ({ client, runId, dir }) => {
    const registry = builtinRegistry();
    const state = new MlflowRunState();
    state.activate(client, runId);
    registerMlflowDatasets(registry, state);
    const build = async (version: { save?: string; load?: string }) => {
      const src = parseYaml(
        [
          "clf: {type: mlflow_model_local, flavor: js_value, filepath: data/06_models/clf, versioned: true}",
          "logged:",
          "  type: mlflow_artifact",
          "  artifact_path: models",
          "  dataset: {type: MlflowModelLocalFileSystemDataset, flavor: js_value, filepath: data/06_models/logged}",
          "",
        ].join("\n"),
        join(dir, "catalog.yml"),
      );
      return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
        projectRoot: dir,
        registry,
        saveVersion: version.save,
        loadVersions: version.load ? { clf: version.load } : undefined,
      });
    };
    await (await build({ save: "2024-01-01T00.00.00.000Z" })).save("clf", { v: 1 });
    await (await build({ save: "2024-01-02T00.00.00.000Z" })).save("clf", { v: 2 });
    assert.ok((await Deno.stat(join(dir, "data/06_models/clf/2024-01-02T00.00.00.000Z/clf/MLmodel"))).isFile);
    assert.deepEqual(await (await build({})).load("clf"), { v: 2 });
    assert.deepEqual(await (await build({ load: "2024-01-01T00.00.00.000Z" })).load("clf"), { v: 1 });
    await assert.rejects(
      async () => (await build({ load: "2023-01-01T00.00.00.000Z" })).load("clf"),
      (e: DatasetError) => e.code === "dataset/version-not-found",
    );
    const c = await build({});
    await c.save("logged", { v: 3 });
    const files = (await client.listArtifacts(runId, "models/logged")).map((f) => f.path).sort();
    assert.deepEqual(files, ["models/logged/MLmodel", "models/logged/model.json"]);
  });
});

Deno.test("a custom flavor class of the project saves and loads the model; MLmodel records the class", async () => {
  await withRun(async ({ catalog, client, runId, dir }) => {
    await Deno.mkdir(join(dir, "flavors"));
    await Deno.writeTextFile(
      join(dir, "flavors/csv_rules.ts"),
      [
        "export class CsvRulesFlavor {",
        '  readonly name = "csv_rules";',
        "  async save(model: { rules: [string, number][] }, dir: string, args: { sep?: string }) {",
        '    const sep = args.sep ?? ",";',
        '    await Deno.writeTextFile(`${dir}/rules.csv`, model.rules.map((r) => r.join(sep)).join("\\n"));',
        "    return { file: 'rules.csv', sep };",
        "  }",
        "  async load(dir: string, entry: { file: string; sep: string }) {",
        "    const text = await Deno.readTextFile(`${dir}/${entry.file}`);",
        "    return { rules: text.split('\\n').map((l) => { const [k, v] = l.split(entry.sep); return [k, Number(v)]; }) };",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    const c = await catalog(
      "rules: {type: mlflow_model_tracking, flavor: ./flavors/csv_rules.ts#CsvRulesFlavor, save_args: {sep: ';'}}\n",
    );
    const model = { rules: [["petal_length", 2.45], ["petal_width", 1.75]] };
    await c.save("rules", model);
    assert.deepEqual(await c.load("rules"), model);
    const local = await client.downloadArtifacts(runId, "rules");
    assert.equal(await Deno.readTextFile(join(local, "rules.csv")), "petal_length;2.45\npetal_width;1.75");
    const entry = parseMlmodel(await Deno.readTextFile(join(local, "MLmodel")), "MLmodel").flavors.csv_rules;
    assert.equal(entry.kmlf_class, "./flavors/csv_rules.ts#CsvRulesFlavor");
    assert.equal(entry.sep, ";");
    // Loaded with another flavor: the error names the flavors the model has.
    const wrong = await catalog(
      `rules: {type: mlflow_model_tracking, flavor: js_value, load_args: {model_uri: "runs:/${runId}/rules"}}\n`,
    );
    await assert.rejects(() => wrong.load("rules"), (e: DatasetError) => {
      assert.equal(e.code, "model/flavor-mismatch");
      assert.match(e.message, /has no js_value flavor \(its flavors: csv_rules\)/);
      assert.equal(e.hint, "load it with the flavor it was saved with: flavor: csv_rules");
      return true;
    });
  });
});

Deno.test("the kmlf flavor: a trained inference pipeline loaded from the registry predicts, and saves to a folder", async () => {
  const t = await trainedRulesProject();
  try {
    await withRun(async ({ client, catalog, notes }) => {
      const registered = await client.registerModel(t.modelUri, "rules");
      await client.store.registry.setRegisteredModelAlias("rules", "champion", registered.version);
      const c = await catalog([
        "champion: {type: mlflow_model_registry, model_name: rules, alias: champion}", // flavor kmlf by default
        "copy: {type: mlflow_model_local, flavor: kmlf, filepath: data/06_models/champion}",
        "",
      ].join("\n"));
      const model = await c.load("champion") as KmlfModel;
      const row = { sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0 };
      assert.deepEqual(await model.predict([row]), [{ prediction: "setosa", probability: 0.9 }]);
      assert.ok(notes.some((n) => n.includes(`from run_id='${t.runId}'`)), notes.join("\n"));
      await c.save("copy", model);
      const copy = await c.load("copy") as KmlfModel;
      assert.deepEqual(await copy.predict([row]), [{ prediction: "setosa", probability: 0.9 }]);
      assert.equal(
        copy.metadata.signature?.inputs,
        model.metadata.signature?.inputs,
        "the signature came along",
      );
      await assert.rejects(() => c.save("copy", { not: "a pipeline" }), (e: DatasetError) => {
        assert.equal(e.code, "model/not-a-kmlf-model");
        assert.match(e.hint!, /flavor: js_value/);
        return true;
      });
    }, `sqlite:///${t.store}`);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("describe() of the model datasets names the flavor and the model", async () => {
  await withRun(async ({ catalog }) => {
    const c = await catalog([
      "a: {type: mlflow_model_tracking, flavor: js_value}",
      "b: {type: mlflow_model_registry, model_name: iris, alias: champion, flavor: js_value}",
      "",
    ].join("\n"));
    assert.deepEqual((await c.get("a")).describe(), { flavor: "js_value", name: "a", model_uri: null });
    assert.deepEqual((await c.get("b")).describe(), {
      model_uri: "models:/iris@champion",
      flavor: "js_value",
    });
  });
});
