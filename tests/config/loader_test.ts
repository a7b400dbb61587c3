import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigLoader } from "../../lib/config/mod.ts";
import type { ConfigError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";

const load = (dir: string, type: string, opts: Partial<Parameters<typeof ConfigLoader.create>[0]> = {}) =>
  ConfigLoader.create({ confSource: join(dir, "conf"), env: "local", ...opts }).then((l) => l.get(type));

Deno.test("files of one type in one env deep-merge, including nested folders and json", async () => {
  await withTree({
    "conf/base/parameters.yml": "a: {x: 1}\n",
    "conf/base/nested/parameters_more.yml": "a: {y: 2}\n",
    "conf/base/parameters_c.json": '{"c": true}',
    "conf/base/.hidden/parameters.yml": "hidden: 1\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data, { a: { x: 1, y: 2 }, c: true });
    assert.equal(p.files.length, 3);
  });
});

Deno.test("across envs the env replaces base at top level (destructive)", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 0.1, n_iter: 300}\nseed: 1\n",
    "conf/local/parameters.yml": "model: {lr: 0.5}\n",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data, { model: { lr: 0.5 }, seed: 1 });
    assert.match(p.locate(["model", "lr"])!.file!, /local\/parameters.yml$/);
    assert.match(p.locate(["seed"])!.file!, /base\/parameters.yml$/);
  });
});

Deno.test("merge_strategy soft deep-merges env over base", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 0.1, n_iter: 300}\n",
    "conf/local/parameters.yml": "model: {lr: 0.5}\n",
  }, async (dir) => {
    const p = await load(dir, "parameters", { mergeStrategy: { parameters: "soft" } });
    assert.deepEqual(p.data, { model: { lr: 0.5, n_iter: 300 } });
  });
});

Deno.test("an invalid merge strategy is an error", async () => {
  await withTree({ "conf/base/catalog.yml": "{}", "conf/local/.gitkeep": "" }, async (dir) => {
    await assert.rejects(
      () =>
        ConfigLoader.create({
          confSource: join(dir, "conf"),
          env: "local",
          mergeStrategy: { catalog: "deep" as "soft" },
        }),
      (e: ConfigError) => e.code === "config/bad-merge-strategy",
    );
  });
});

Deno.test("a top-level key in two catalog files of one env names both files", async () => {
  await withTree({
    "conf/base/catalog.yml": "iris: {type: csv, filepath: a.csv}\n",
    "conf/base/catalog_more.yml": "iris: {type: csv, filepath: b.csv}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await assert.rejects(() => load(dir, "catalog"), (e: ConfigError) => {
      assert.equal(e.code, "config/duplicate-key");
      assert.match(e.message, /catalog.yml and .*catalog_more.yml/);
      assert.equal(e.source?.line, 1);
      return true;
    });
  });
});

Deno.test("parameters may share a top-level key across files when leaves differ; _ keys never clash", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 1}\n_tmpl: 1\n",
    "conf/base/parameters_b.yml": "model: {depth: 2}\n_tmpl: 2\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data.model, { lr: 1, depth: 2 });
    assert.equal(p.data._tmpl, 2, "_ keys stay in parameters");
  });
});

Deno.test("underscore top-level keys are templates: usable, then dropped from the catalog", async () => {
  await withTree({
    "conf/base/catalog.yml": "_csv: {type: csv}\niris:\n  type: ${_csv.type}\n  filepath: data/iris.csv\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const c = await load(dir, "catalog");
    assert.deepEqual(c.data, { iris: { type: "csv", filepath: "data/iris.csv" } });
  });
});

Deno.test("interpolation keeps types for whole strings and stringifies inside text", async () => {
  await withTree({
    "conf/base/parameters.yml": "n: 3\nlist: [1, 2]\ncopy: ${n}\nlabel: run-${n}\nlst: ${list}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.equal(p.data.copy, 3);
    assert.equal(p.data.label, "run-3");
    assert.deepEqual(p.data.lst, [1, 2]);
  });
});

Deno.test("globals resolve across envs with defaults, and _ globals are refused", async () => {
  await withTree({
    "conf/base/globals.yml": "folder: data\ntypes: {csv: csv}\n",
    "conf/local/globals.yml": "folder: /mnt/data\n",
    "conf/base/parameters.yml": "f: ${globals:folder}\nt: ${globals:types.csv}\nd: ${globals:missing, 7}\n",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data, { f: "/mnt/data", t: "csv", d: 7 });
  });
  await withTree({
    "conf/base/globals.yml": "_secret: 1\n",
    "conf/base/parameters.yml": "s: ${globals:_secret}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await assert.rejects(() => load(dir, "parameters"), /keys starting with "_"/);
  });
});

Deno.test("runtime params override parameters, fill ${runtime_params:}, and nested defaults work", async () => {
  await withTree({
    "conf/base/globals.yml": "fallback: 9\n",
    "conf/base/parameters.yml": "model: {lr: 0.1}\nseed: ${runtime_params:seed, ${globals:fallback}}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters", { runtimeParams: { model: { lr: 0.5 } } });
    assert.deepEqual(p.data, { model: { lr: 0.5 }, seed: 9 });
    const q = await load(dir, "parameters", { runtimeParams: { seed: 3 } });
    assert.equal(q.data.seed, 3);
  });
});

Deno.test("runtime_params inside globals is an error", async () => {
  await withTree({
    "conf/base/globals.yml": "x: ${runtime_params:x, 1}\n",
    "conf/base/parameters.yml": "y: ${globals:x}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await assert.rejects(() => load(dir, "parameters"), /not supported in globals/);
  });
});

Deno.test("${env:VAR} works in credentials (with default) and nowhere else", async () => {
  Deno.env.set("KMLF_TEST_TOKEN", "s3cret");
  await withTree({
    "conf/base/catalog.yml": "{}\n",
    "conf/local/credentials.yml": "db: {token: '${env:KMLF_TEST_TOKEN}', user: '${env:KMLF_NOPE, anon}'}\n",
  }, async (dir) => {
    const c = await load(dir, "credentials");
    assert.deepEqual(c.data, { db: { token: "s3cret", user: "anon" } });
  });
  await withTree({
    "conf/base/catalog.yml": "x: {type: csv, filepath: '${env:HOME}'}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await assert.rejects(
      () => load(dir, "catalog"),
      (e: ConfigError) => e.code === "config/interpolation" && /credentials/.test(e.message),
    );
  });
});

Deno.test("circular interpolation is named", async () => {
  await withTree(
    { "conf/base/parameters.yml": "a: ${b}\nb: ${a}\n", "conf/local/.gitkeep": "" },
    async (dir) => {
      await assert.rejects(() => load(dir, "parameters"), /Circular interpolation/);
    },
  );
});

Deno.test("missing parameters and mlflow configs are empty; a missing catalog is an error", async () => {
  await withTree({ "conf/base/.gitkeep": "", "conf/local/.gitkeep": "" }, async (dir) => {
    assert.deepEqual((await load(dir, "parameters", { runtimeParams: { a: 1 } })).data, { a: 1 });
    assert.deepEqual((await load(dir, "mlflow")).data, {});
    await assert.rejects(() => load(dir, "catalog"), (e: ConfigError) => e.code === "config/missing-catalog");
  });
});

Deno.test("a file that is not a mapping is an error", async () => {
  await withTree({ "conf/base/parameters.yml": "- a\n- b\n", "conf/local/.gitkeep": "" }, async (dir) => {
    await assert.rejects(
      () => load(dir, "parameters"),
      (e: ConfigError) => e.code === "config/not-a-mapping",
    );
  });
});

Deno.test("env equal to base loads base only; a missing env folder is an error naming it", async () => {
  await withTree({ "conf/base/parameters.yml": "a: 1\n" }, async (dir) => {
    assert.deepEqual((await load(dir, "parameters", { env: "base" })).data, { a: 1 });
    await assert.rejects(
      () => load(dir, "parameters"),
      (e: ConfigError) => e.code === "config/missing-env" && e.message.includes("conf/local"),
    );
  });
});

Deno.test("extra config types and resolvers can be registered", async () => {
  await withTree(
    { "conf/base/spark.yml": "name: ${upper:app}\n", "conf/local/.gitkeep": "" },
    async (dir) => {
      const c = await load(dir, "spark", {
        patterns: { spark: ["spark*"] },
        resolvers: { upper: (a) => String(a[0]).toUpperCase() },
      });
      assert.deepEqual(c.data, { name: "APP" });
    },
  );
});
