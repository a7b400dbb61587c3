/**
 * The model a tracked training run logs: the demo logs `model/` in MLflow 2.17.2's format (compared with a
 * model MLflow itself logged), `kmlf models predict` agrees with `kmlf run inference`, the bundle is
 * self-contained (the project moved away still predicts), and `loadModel` works from TypeScript.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { loadModel } from "../../mod.ts";
import { loadModelDir } from "../../lib/models/mod.ts";
import { MlflowClient, openStore, parseMlmodel, parseSignature } from "../../lib/tracking/mod.ts";
import { CLI_PATH, demoProject, kmlf, REPO } from "../cli_harness.ts";
import { rulesProjectFiles, trainedRulesProject } from "./model_helpers.ts";

const FIXTURE = new URL("../fixtures/mlflow-2.17.2/model/logged_model/", import.meta.url).pathname;

Deno.test("the demo run logs model/ in MLflow 2.17.2's format, and predict agrees with kmlf run inference", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const uri = run.stderr.match(/Model logged: (runs:\/(\w+)\/model)/);
    assert.ok(uri, run.stderr);
    const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
    const files = (await client.listArtifacts(uri[2], "model", { recursive: true })).map((f) => f.path);
    for (
      const f of [
        "model/MLmodel",
        "model/code/pipelines/inference.yml",
        "model/code/pipelines/iris/nodes.ts",
        "model/artifacts/model/model.pkl",
        "model/input_example.json",
        "model/serving_input_example.json",
        "model/code/deno.json",
      ]
    ) {
      assert.ok(files.includes(f), `${f} in ${files.join(", ")}`);
    }
    const local = await client.downloadArtifacts(uri[2], "model");
    const ours = await Deno.readTextFile(join(local, "MLmodel"));
    const theirs = await Deno.readTextFile(join(FIXTURE, "MLmodel"));
    const keys = (text: string) => text.split("\n").filter((l) => /^\w/.test(l)).map((l) => l.split(":")[0]);
    assert.deepEqual(keys(ours), keys(theirs), "same top-level MLmodel keys, same (sorted) order");
    const model = parseMlmodel(ours, "MLmodel");
    assert.equal(model.runId, uri[2]);
    assert.equal(model.artifactPath, "model");
    assert.match(model.modelUuid!, /^[0-9a-f]{32}$/);
    assert.match(model.utcTimeCreated!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.deepEqual(model.savedInputExampleInfo, parseMlmodel(theirs, "fixture").savedInputExampleInfo);
    const signature = parseSignature(model.signature!);
    assert.deepEqual(
      signature.inputs,
      parseSignature(parseMlmodel(theirs, "f").signature!).inputs,
      "same columns and types as MLflow inferred",
    );
    const example = JSON.parse(await Deno.readTextFile(join(local, "input_example.json")));
    assert.deepEqual(
      example.columns,
      JSON.parse(await Deno.readTextFile(join(FIXTURE, "input_example.json"))).columns,
    );
    assert.deepEqual(
      Object.keys(JSON.parse(await Deno.readTextFile(join(local, "serving_input_example.json")))),
      ["dataframe_split"],
    );
    // The run tag MLflow's UI and mlflow.models read, in MLflow 2.17.2's shape.
    const tag = JSON.parse((await client.getRun(uri[2])).data.tags["mlflow.log-model.history"]);
    const fixtureTag = JSON.parse(
      JSON.parse(
        await Deno.readTextFile(join(FIXTURE, "run_tag_log_model_history.json")),
      )["mlflow.log-model.history"],
    );
    assert.deepEqual(Object.keys(tag[0]), Object.keys(fixtureTag[0]));
    assert.equal(tag[0].model_uuid, model.modelUuid);
    await client.store.close();

    const predicted = await kmlf(["models", "predict", "-m", uri[1], "-i", "data/01_raw/instances.csv"], {
      cwd: dir,
    });
    assert.equal(predicted.code, 0, predicted.stderr);
    const inference = await kmlf(["run", "inference"], { cwd: dir });
    assert.equal(inference.code, 0, inference.stderr);
    const expected = parse(
      await Deno.readTextFile(join(dir, "data/07_model_output/inference_predictions.csv")),
      { columns: true, cast: true },
    );
    assert.deepEqual(JSON.parse(predicted.stdout).predictions, expected);
    const csvOut = join(dir, "out.csv");
    const toCsv = await kmlf([
      "models",
      "predict",
      "-m",
      uri[1],
      "-i",
      "data/01_raw/instances.csv",
      "-o",
      csvOut,
    ], { cwd: dir });
    assert.equal(toCsv.code, 0, toCsv.stderr);
    assert.equal(
      await Deno.readTextFile(csvOut),
      await Deno.readTextFile(join(dir, "data/07_model_output/inference_predictions.csv")),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a model predicts after its project is moved away: the bundle carries its code and artifacts", async () => {
  const t = await trainedRulesProject();
  try {
    await Deno.rename(t.project, join(t.base, "moved-away"));
    await Deno.writeTextFile(
      join(t.base, "in.json"),
      JSON.stringify({
        dataframe_records: [{ sepal_length: 5, sepal_width: 3, petal_length: 1.2, petal_width: 0.2 }],
      }),
    );
    const r = await kmlf(["models", "predict", "-m", t.modelUri, "-i", "in.json"], {
      cwd: t.base,
      env: { MLFLOW_TRACKING_URI: `sqlite:///${t.store}`, KMLF_CACHE_DIR: join(t.base, "cache") },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test('the model\'s code/deno.json pins the npm packages its modules import, and not "kmlf"', async () => {
  const t = await trainedRulesProject({
    "pipelines/rules/util/labels.ts": 'import type { NodeFunction } from "kmlf";\n' +
      'export const SPECIES = ["setosa", "virginica"] as const;\nexport const noop: NodeFunction = () => 0;\n',
  });
  try {
    const client = new MlflowClient(await openStore(`sqlite:///${t.store}`, { baseDir: t.base }));
    const local = await client.downloadArtifacts(t.runId, "model");
    await client.store.close();
    const config = JSON.parse(await Deno.readTextFile(join(local, "code", "deno.json")));
    assert.deepEqual(config, { imports: { zod: "npm:zod@4.6.7" } });
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("code/deno.json pins the packages the project maps itself; outside the project the model predicts with them, and --env-manager local names the pin", async () => {
  // argparse is in Deno's cache already (js-yaml depends on it), so no test needs the network.
  const t = await trainedRulesProject({
    "deno.json": JSON.stringify({ imports: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" } }),
    "pipelines/rules/util/labels.ts": 'import { ArgumentParser } from "argparse";\n' +
      "export const parser = typeof ArgumentParser;\n" +
      'export const SPECIES = ["setosa", "virginica"] as const;\n',
  });
  try {
    const client = new MlflowClient(await openStore(`sqlite:///${t.store}`, { baseDir: t.base }));
    const local = await client.downloadArtifacts(t.runId, "model");
    await client.store.close();
    const config = JSON.parse(await Deno.readTextFile(join(local, "code", "deno.json")));
    assert.deepEqual(config, { imports: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" } });
    const input = join(t.base, "input.json");
    await Deno.writeTextFile(input, '{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    // Outside the project, kmlf's own imports have no argparse: the model's environment gives it the pin,
    // without writing it into kmlf's deno.lock.
    const kmlfLock = await Deno.readTextFile(join(REPO, "deno.lock"));
    const restored = await kmlf(["models", "predict", "-m", local, "-i", input], { cwd: t.base });
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
    assert.equal(await Deno.readTextFile(join(REPO, "deno.lock")), kmlfLock);
    // In this process (MLflow's --env-manager local), the fix is the version the model pins.
    const r = await kmlf(["models", "predict", "-m", local, "-i", input, "--env-manager", "local"], {
      cwd: t.base,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /"argparse" is not mapped/);
    assert.match(
      r.stderr,
      /hint: the model was logged with "argparse" as npm:argparse@2\.0\.1 \(.*code\/deno\.json\)/,
    );
    assert.match(r.stderr, /`deno add npm:argparse@2\.0\.1` there/);
    // In the project it was trained in, it predicts.
    const inProject = await kmlf(["models", "predict", "-m", t.modelUri, "-i", input], { cwd: t.project });
    assert.equal(inProject.code, 0, inProject.stderr);
    assert.equal(inProject.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a model logged from a project importing through an import-map alias carries the aliased files and predicts from another folder", async () => {
  const t = await trainedRulesProject({
    "deno.json": JSON.stringify({
      imports: {
        "@/": "./pipelines/rules/",
        "#labels": "./pipelines/rules/util/labels.ts",
        zod: "npm:zod@4.6.7",
      },
    }),
    "pipelines/rules/shared.ts": rulesProjectFiles("")["pipelines/rules/shared.ts"]
      .replace('"./util/labels.ts"', '"@/util/labels.ts"') + 'export { SPECIES as NAMES } from "#labels";\n',
    // Reached through the alias only: the bundle must follow it.
    "pipelines/rules/util/labels.ts": 'export { SPECIES } from "@/util/species.ts";\n',
    "pipelines/rules/util/species.ts": 'export const SPECIES = ["setosa", "virginica"] as const;\n',
    // The trained rule is saved by a dataset class of the project's, named through the alias.
    "conf/base/catalog.yml": rulesProjectFiles("")["conf/base/catalog.yml"].replace(
      "rule: {type: json,",
      'rule: {type: "@/rule_dataset.ts#RuleDataset",',
    ),
    "pipelines/rules/rule_dataset.ts": [
      "export class RuleDataset {",
      "  constructor(readonly opts: { filepath: string }) {}",
      "  async load() { return JSON.parse(await Deno.readTextFile(this.opts.filepath)); }",
      "  async save(data: unknown) {",
      '    await Deno.mkdir(this.opts.filepath.replace(/\\/[^/]*$/, ""), { recursive: true });',
      "    await Deno.writeTextFile(this.opts.filepath, JSON.stringify(data));",
      "  }",
      "  async exists() { return await Deno.stat(this.opts.filepath).then(() => true, () => false); }",
      "  describe() { return { ...this.opts }; }",
      "  filePath() { return this.opts.filepath; }",
      "}",
      "",
    ].join("\n"),
  });
  try {
    assert.doesNotMatch(t.stderr, /is not bundled/);
    const logged = join(t.store, "..", "mlartifacts", "1", t.runId, "artifacts", "model");
    const mlmodel = await Deno.readTextFile(join(logged, "MLmodel"));
    assert.match(mlmodel, /type: \.\/code\/pipelines\/rules\/rule_dataset\.ts#RuleDataset/);
    const config = JSON.parse(await Deno.readTextFile(join(logged, "code", "deno.json")));
    assert.deepEqual(config.imports, {
      "@/": "./pipelines/rules/",
      "#labels": "./pipelines/rules/util/labels.ts",
      zod: "npm:zod@4.6.7",
    });
    // The copies import the aliased files relatively: Deno never reads the deno.json beside a module.
    const shared = await Deno.readTextFile(join(logged, "code", "pipelines", "rules", "shared.ts"));
    assert.match(shared, /from "\.\/util\/labels\.ts"/);
    assert.match(shared, /from "\.\/util\/labels\.ts";\n$/);
    // Copied elsewhere, with the project gone: it loads and predicts.
    const elsewhere = join(t.base, "elsewhere", "model");
    await Deno.mkdir(join(elsewhere, ".."));
    const cp = await new Deno.Command("cp", { args: ["-R", logged, elsewhere] }).output();
    assert.ok(cp.success);
    await Deno.remove(t.project, { recursive: true });
    const input = join(t.base, "input.json");
    await Deno.writeTextFile(input, '{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    const r = await kmlf(["models", "predict", "-m", elsewhere, "-i", input], { cwd: t.base });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a model logged before aliases were carried still names the alias when its code cannot load", async () => {
  const t = await trainedRulesProject();
  try {
    const logged = join(t.store, "..", "mlartifacts", "1", t.runId, "artifacts", "model");
    // As an older kmlf logged it: the aliased import kept, the aliased file left out.
    const shared = join(logged, "code", "pipelines", "rules", "shared.ts");
    await Deno.writeTextFile(
      shared,
      (await Deno.readTextFile(shared)).replace('"./util/labels.ts"', '"@/util/labels.ts"'),
    );
    const input = join(t.base, "input.json");
    await Deno.writeTextFile(input, '{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    const r = await kmlf(["models", "predict", "-m", logged, "-i", input], { cwd: t.base });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /hint: the model's code imports "@\/util\/labels\.ts" through an import map of the project it was logged from/,
    );
    assert.doesNotMatch(r.stderr, /write "\.\/@\//);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a package the model pins at another version than this kmlf gives its code is noted (MLflow's requirement mismatch warning)", async () => {
  const t = await trainedRulesProject();
  try {
    const client = new MlflowClient(await openStore(`sqlite:///${t.store}`, { baseDir: t.base }));
    const logged = await client.downloadArtifacts(t.runId, "model");
    await client.store.close();
    assert.deepEqual((await loadModelDir(logged)).notes, [], "logged by this kmlf: nothing to note");
    // Edited in a copy: a local store's download is the logged folder itself.
    const local = join(t.base, "copy");
    await new Deno.Command("cp", { args: ["-R", logged, local] }).output();
    // As if logged from a project that pinned another zod (not downloaded: only compared, in this process).
    await Deno.writeTextFile(join(local, "code", "deno.json"), '{"imports": {"zod": "npm:zod@4.5.0"}}');
    assert.deepEqual((await loadModelDir(local)).notes, [
      "zod: the model was logged with npm:zod@4.5.0, this kmlf gives it zod 4.6.7",
    ]);
    const input = join(t.base, "input.json");
    await Deno.writeTextFile(input, '{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    const r = await kmlf(["models", "predict", "-m", local, "-i", input, "--no-conda"], { cwd: t.base });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Note: zod: the model was logged with npm:zod@4\.5\.0, this kmlf gives it zod 4\.6\.7: predictions may differ from the logged model's \(leave out --env-manager local to predict with the model's own packages/,
    );
    // Predicted in a project that maps zod 3 (in Deno's cache: no network), in the project's process
    // (--env-manager local), the model's code fails to load: the error says why.
    await Deno.writeTextFile(join(t.project, "deno.json"), '{"imports": {"zod": "npm:zod@3.23.8"}}');
    const old = await kmlf(["models", "predict", "-m", t.modelUri, "-i", input, "--env-manager", "local"], {
      cwd: t.project,
    });
    assert.equal(old.code, 2, old.stderr);
    assert.match(old.stderr, /z\.looseObject is not a function/);
    assert.match(
      old.stderr,
      /hint: the model's packages are not the versions it was logged with \(zod: the model was logged with npm:zod@4\.6\.7, this kmlf gives it zod 3\.23\.8\)/,
    );
    // By default the model still gets the zod it pins (MLflow restores a model's environment), from stdin
    // as from a file, and the project's deno.lock is left as it was.
    const lock = await Deno.readTextFile(join(t.project, "deno.lock")).catch(() => undefined);
    for (const args of [["-i", input], []]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI_PATH, "models", "predict", "-m", t.modelUri, ...args],
        cwd: t.project,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(await Deno.readTextFile(input)));
      await writer.close();
      const done = await child.output();
      const stderr = new TextDecoder().decode(done.stderr);
      assert.equal(done.code, 0, stderr);
      assert.equal(
        new TextDecoder().decode(done.stdout).trim(),
        '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}',
      );
    }
    assert.equal(await Deno.readTextFile(join(t.project, "deno.lock")).catch(() => undefined), lock);
    // The copy pinning zod 4.5.0 predicts with it in a process of its own, which notes no mismatch: its
    // code/ folder gets the pin, though that process's own imports map kmlf's zod.
    const own = await kmlf(["models", "predict", "-m", local, "-i", input], { cwd: t.base });
    assert.equal(own.code, 0, own.stderr);
    assert.equal(own.stdout.trim(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
    assert.doesNotMatch(own.stderr, /Note: zod/);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("loadModel(uri) from mod.ts: metadata, signature and predict", async () => {
  const t = await trainedRulesProject();
  try {
    const model = await loadModel(t.modelUri, {
      trackingUri: `sqlite:///${t.store}`,
      cacheDir: join(t.base, "cache"),
    });
    assert.equal(model.metadata.runId, t.runId);
    assert.deepEqual(model.signature!.inputs.map((c) => c.name), [
      "sepal_length",
      "sepal_width",
      "petal_length",
      "petal_width",
    ]);
    assert.deepEqual(
      await model.predict([{ sepal_length: 5, sepal_width: 3, petal_length: 6, petal_width: 2 }]),
      [
        { prediction: "virginica", probability: 0.9 },
      ],
    );
    await assert.rejects(() => model.predict([{ sepal_length: 5 }]), /Model is missing inputs/);
    const folder = await loadModel(model.dir);
    assert.equal(folder.metadata.modelUuid, model.metadata.modelUuid);
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("predict-time params: declared ones override the training value, undeclared ones are ignored", async () => {
  const t = await trainedRulesProject({
    "pipelines/inference.yml": [
      "nodes:",
      "  - name: apply_rule",
      "    func: ./rules/predict.ts#applyRule",
      "    inputs: [rule, instances]",
      "    outputs: raw_predictions",
      "  - name: scale",
      "    func: ./rules/scale.ts#scale",
      "    inputs: [raw_predictions, params:confidence]",
      "    outputs: predictions",
      "",
    ].join("\n"),
    "pipelines/rules/scale.ts":
      "export const scale = (rows: { probability: number }[], c: number) => rows.map((r) => ({ ...r, probability: c }));\n",
  });
  try {
    const model = await loadModel(t.modelUri, {
      trackingUri: `sqlite:///${t.store}`,
      cacheDir: join(t.base, "cache"),
    });
    assert.deepEqual(model.signature!.params, [{
      name: "confidence",
      type: "double",
      default: 0.9,
      shape: null,
    }]);
    const row = [{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0.2 }];
    assert.equal(((await model.predict(row)) as { probability: number }[])[0].probability, 0.9);
    assert.equal(
      ((await model.predict(row, { confidence: 0.42, other: 1 })) as { probability: number }[])[0]
        .probability,
      0.42,
    );
    await assert.rejects(
      () => model.predict(row, { confidence: "high" }),
      /param 'confidence' must be double/,
    );
    // A null param is an unset one: the training value, not an internal "has not been saved" error.
    assert.equal(
      ((await model.predict(row, { confidence: null })) as { probability: number }[])[0].probability,
      0.9,
    );
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("copy_mode: deepcopy gives each prediction its own artifacts; assign shares them (kedro-mlflow's default)", async () => {
  const counting = 'import type { Rule } from "./shared.ts";\n' +
    "export function applyRule(rule: Rule & { calls?: number }, instances: unknown[]) {\n" +
    "  rule.calls = (rule.calls ?? 0) + 1;\n" +
    "  return instances.map(() => ({ calls: rule.calls }));\n}\n";
  for (const [mode, second] of [["deepcopy", 1], ["assign", 2]] as const) {
    const t = await trainedRulesProject({
      "pipelines/rules/predict.ts": counting,
      "pipelines/training.yml": "nodes:\n  - name: fit_rule\n    func: ./rules/train.ts#fitRule\n" +
        "    inputs: [iris, params:confidence]\n    outputs: rule\n" +
        `inference:\n  pipeline: inference\n  input_name: instances\n  copy_mode: ${mode}\n`,
    });
    try {
      const model = await loadModel(t.modelUri, {
        trackingUri: `sqlite:///${t.store}`,
        cacheDir: join(t.base, "cache"),
      });
      const row = [{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0.2 }];
      assert.deepEqual(await model.predict(row), [{ calls: 1 }], mode);
      assert.deepEqual(await model.predict(row), [{ calls: second }], mode);
    } finally {
      await Deno.remove(t.base, { recursive: true });
    }
  }
});
