import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigLoader } from "../../lib/config/mod.ts";
import { ConfigError, KmlfAggregateError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";
import { load, rejectsWith } from "./_helpers.ts";

Deno.test("files of one type in one env deep-merge, including nested folders and json; hidden ones are skipped", async () => {
  await withTree({
    "conf/base/parameters.yml": "a: {x: 1}\n",
    "conf/base/nested/parameters_more.yml": "a: {y: 2}\n",
    "conf/base/parameters_c.json": '{"c": true}',
    "conf/base/.hidden/parameters.yml": "hidden: 1\n",
    "conf/base/.parameters_hidden.yml": "hidden: 2\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data, { a: { x: 1, y: 2 }, c: true });
    assert.deepEqual(p.files, [
      join(dir, "conf/base/nested/parameters_more.yml"),
      join(dir, "conf/base/parameters.yml"),
      join(dir, "conf/base/parameters_c.json"),
    ]);
  });
});

Deno.test("catalog files match catalog*, catalog*/** and **/catalog* with .yml/.yaml/.json only", async () => {
  await withTree({
    "conf/base/catalog.yml": "a: {type: csv}\n",
    "conf/base/catalog_b.yaml": "b: {type: csv}\n",
    "conf/base/catalog/c.yml": "c: {type: csv}\n",
    "conf/base/deep/er/catalog_d.json": '{"d": {"type": "csv"}}',
    "conf/base/my_catalog.yml": "e: {type: csv}\n",
    "conf/base/catalog.txt": "f: {type: csv}\n",
    "conf/base/parameters.yml": "g: 1\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const c = await load(dir, "catalog");
    assert.deepEqual(Object.keys(c.data).sort(), ["a", "b", "c", "d"]);
  });
});

Deno.test("globals are read from globals.yml only", async () => {
  await withTree({
    "conf/base/globals.yml": "a: 1\n",
    "conf/base/globals_more.yml": "b: 2\n",
    "conf/base/sub/globals.yml": "c: 3\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    assert.deepEqual((await load(dir, "globals")).data, { a: 1 });
  });
});

Deno.test("callers can add config types and override the patterns of a built-in one", async () => {
  await withTree({
    "conf/base/spark/app.yml": "name: app\n",
    "conf/base/params.yml": "p: 1\n",
    "conf/base/parameters.yml": "q: 2\n",
    "conf/base/airflow.yml": "dag: x\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const patterns = { spark: ["spark/**"], parameters: ["params*"] };
    assert.deepEqual((await load(dir, "spark", { patterns })).data, { name: "app" });
    assert.deepEqual((await load(dir, "parameters", { patterns })).data, { p: 1 });
    assert.deepEqual((await load(dir, "airflow")).data, { dag: "x" }, "unlisted types use <type>* patterns");
  });
});

Deno.test("a symlinked config file is followed", async () => {
  await withTree({
    "secrets/credentials.yml": "db: {user: u}\n",
    "conf/base/catalog.yml": "{}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await Deno.symlink(join(dir, "secrets/credentials.yml"), join(dir, "conf/local/credentials.yml"));
    assert.deepEqual((await load(dir, "credentials")).data, { db: { user: "u" } });
  });
});

Deno.test("across envs the env replaces base at top level (destructive), and locate follows the winner", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 0.1, n_iter: 300}\nseed: 1\n",
    "conf/local/parameters.yml": "model: {lr: 0.5}\n",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data, { model: { lr: 0.5 }, seed: 1 });
    assert.deepEqual(p.locate(["model", "lr"]), {
      file: join(dir, "conf/local/parameters.yml"),
      line: 1,
      column: 13,
      keyPath: "model.lr",
    });
    assert.equal(p.locate(["seed"])?.file, join(dir, "conf/base/parameters.yml"));
    assert.equal(p.locate(["seed"])?.line, 2);
    assert.deepEqual(p.locateKey?.(["model", "lr"]), {
      file: join(dir, "conf/local/parameters.yml"),
      line: 1,
      column: 9,
      keyPath: "model.lr",
    }, "locateKey is the key's position, for unknown-key errors");
    assert.equal(p.replacedBase?.("model")?.file, join(dir, "conf/base/parameters.yml"));
    assert.equal(p.replacedBase?.("seed"), undefined);
    const gone = p.locate(["model", "n_iter"]);
    assert.deepEqual(
      [gone?.file, gone?.line, gone?.column, gone?.keyPath],
      [join(dir, "conf/local/parameters.yml"), 1, 8, "model.n_iter"],
      "base's subtree was replaced: the nearest written ancestor is local's model",
    );
    assert.deepEqual(p.files, [
      join(dir, "conf/base/parameters.yml"),
      join(dir, "conf/local/parameters.yml"),
    ]);
  });
});

Deno.test("merge_strategy soft deep-merges env over base, and locate finds each leaf's file", async () => {
  await withTree({
    "conf/base/parameters.yml": "model:\n  lr: 0.1\n  n_iter: 300\n",
    "conf/local/parameters.yml": "model: {lr: 0.5}\n",
  }, async (dir) => {
    const p = await load(dir, "parameters", { mergeStrategy: { parameters: "soft" } });
    assert.deepEqual(p.data, { model: { lr: 0.5, n_iter: 300 } });
    assert.match(p.locate(["model", "lr"])!.file!, /local\/parameters.yml$/);
    assert.equal(p.locate(["model", "n_iter"])?.file, join(dir, "conf/base/parameters.yml"));
    assert.equal(p.locate(["model", "n_iter"])?.line, 3);
  });
});

Deno.test("an invalid merge strategy is an error naming it", async () => {
  await withTree({ "conf/base/catalog.yml": "{}", "conf/local/.gitkeep": "" }, async (dir) => {
    const e = await rejectsWith(
      () =>
        ConfigLoader.create({
          confSource: join(dir, "conf"),
          env: "local",
          mergeStrategy: { catalog: "deep" as "soft" },
        }),
      ConfigError,
      "config/bad-merge-strategy",
      /"deep" for catalog/,
    );
    assert.match(e.hint!, /soft.*destructive/);
  });
});

Deno.test("ConfigLoader.create refuses with a rejected promise, never a synchronous throw", async () => {
  await withTree({ "conf/README": "" }, async (dir) => {
    let pending: Promise<unknown> | undefined;
    assert.doesNotThrow(() => pending = ConfigLoader.create({ confSource: join(dir, "conf"), env: "local" }));
    await assert.rejects(pending!, KmlfAggregateError);
  });
});

Deno.test("a missing env folder is an error naming the path and the fix", async () => {
  await withTree({ "conf/base/parameters.yml": "a: 1\n" }, async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "parameters", { env: "prod" }),
      ConfigError,
      "config/missing-env",
      /Configuration folder .*conf\/prod does not exist/,
    );
    assert.equal(e.source?.file, join(dir, "conf/prod"));
    assert.match(e.hint!, /create .*conf\/prod.*or pass another --env/);
  });
});

Deno.test("an env folder that is a file is named as such", async () => {
  await withTree({ "conf/base/parameters.yml": "a: 1\n", "conf/local": "oops" }, async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "parameters"),
      ConfigError,
      "config/missing-env",
      /Configuration folder .*conf\/local is a file, not a folder/,
    );
    assert.match(e.hint!, /move that file away/);
  });
});

Deno.test("missing base and env folders are reported together", async () => {
  await withTree({ "conf/README": "" }, async (dir) => {
    await assert.rejects(() => load(dir, "catalog"), (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.deepEqual(e.errors.map((x) => x.source?.file), [
        join(dir, "conf/base"),
        join(dir, "conf/local"),
      ]);
      assert.ok(e.errors.every((x) => x.code === "config/missing-env"));
      return true;
    });
  });
});

// `--conf-source conf/base` (or a folder of catalog files): creating conf/base/base is not the fix.
Deno.test("a configuration folder that is an env folder itself is named so, with its parent as the fix", async () => {
  const files = { "conf/base/catalog.yml": "a: {type: json, filepath: a.json}\n", "conf/local/.gitkeep": "" };
  await withTree(files, async (dir) => {
    for (const [given, why] of [["conf/base", "it holds catalog.yml"], ["conf/local", "named local"]]) {
      await assert.rejects(
        () => ConfigLoader.create({ confSource: join(dir, given), env: "local" }),
        (e: KmlfAggregateError) => {
          const base = e.errors.find((x) => x.source?.file === join(dir, given, "base"))!;
          assert.equal(base.code, "config/missing-env");
          assert.equal(
            base.hint,
            `${join(dir, given)} is an environment folder itself (${why}): give the folder that holds base ` +
              `and local instead, e.g. ${join(dir, "conf")}`,
          );
          return true;
        },
      );
    }
  });
  // A conf folder that is simply empty keeps the plain advice.
  await withTree({ "conf/README": "" }, async (dir) => {
    await assert.rejects(() => load(dir, "catalog"), (e: KmlfAggregateError) => {
      assert.match(e.errors[0].hint!, /^create .*conf\/base \(it holds the shared catalog\.yml/);
      return true;
    });
  });
});

Deno.test("when the env is the base env only base is read and no other folder is needed", async () => {
  await withTree({ "conf/base/parameters.yml": "a: 1\n" }, async (dir) => {
    const loader = await ConfigLoader.create({ confSource: join(dir, "conf"), env: "base" });
    assert.equal(loader.env, "base");
    assert.deepEqual((await loader.get("parameters")).data, { a: 1 });
  });
  await withTree({ "conf/common/parameters.yml": "a: 2\n" }, async (dir) => {
    assert.deepEqual((await load(dir, "parameters", { env: "common", baseEnv: "common" })).data, { a: 2 });
  });
});

Deno.test("a top-level key in two catalog files of one env is an error naming both files and positions", async () => {
  await withTree({
    "conf/base/catalog.yml": "iris: {type: csv, filepath: a.csv}\n",
    "conf/base/catalog_more.yml": "# more\niris: {type: csv, filepath: b.csv}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "catalog"),
      ConfigError,
      "config/duplicate-key",
      /Key "iris" is defined in both .*\/catalog.yml and .*\/catalog_more.yml/,
    );
    assert.equal(e.source?.file, join(dir, "conf/base/catalog_more.yml"));
    assert.equal(e.source?.line, 2);
    assert.equal(e.source?.column, 1);
    assert.match(e.hint!, /first defined at .*conf\/base\/catalog.yml:1:1/);
  });
});

Deno.test("the same key in base and env is an override, not a duplicate", async () => {
  await withTree({
    "conf/base/catalog.yml": "iris: {type: csv, filepath: a.csv}\n",
    "conf/local/catalog.yml": "iris: {type: csv, filepath: b.csv}\n",
  }, async (dir) => {
    assert.deepEqual((await load(dir, "catalog")).data, { iris: { type: "csv", filepath: "b.csv" } });
  });
});

Deno.test("parameters clash on full leaf paths: same leaf in two files names both", async () => {
  await withTree({
    "conf/base/parameters.yml": "model:\n  lr: 1\n  depth: 3\n",
    "conf/base/parameters_b.yml": "model:\n  depth: 2\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "parameters"),
      ConfigError,
      "config/duplicate-key",
      /Key "model.depth" is defined in both .*parameters.yml and .*parameters_b.yml/,
    );
    assert.deepEqual([e.source?.line, e.source?.column, e.source?.keyPath], [2, 3, "model.depth"]);
    assert.match(e.hint!, /parameters.yml:3:3/);
  });
});

Deno.test("parameters may share a top-level key when leaves differ; _ keys never clash, nested _ keys do", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 1}\n_tmpl: 1\n",
    "conf/base/parameters_b.yml": "model: {depth: 2}\n_tmpl: 2\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.deepEqual(p.data.model, { lr: 1, depth: 2 });
    assert.equal(p.data._tmpl, 2, "_ keys stay in parameters");
  });
  await withTree({
    "conf/base/parameters.yml": "model: {_x: 1}\n",
    "conf/base/parameters_b.yml": "model: {_x: 2}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/duplicate-key", /"model._x"/);
  });
});

Deno.test("a parameter that is a value in one file and a mapping in another clashes", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: 5\n",
    "conf/base/parameters_b.yml": "model: {lr: 1}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await rejectsWith(
      () => load(dir, "parameters"),
      ConfigError,
      "config/duplicate-key",
      /Key "model" is defined/,
    );
  });
});

Deno.test("every duplicate between two files is listed in one error; other pairs get their own", async () => {
  await withTree({
    "conf/base/catalog.yml": "a: {type: csv}\nb: {type: csv}\n",
    "conf/base/catalog_2.yml": "a: {type: csv}\nb: {type: csv}\n",
    "conf/base/catalog_3.yml": "a: {type: csv}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    await assert.rejects(() => load(dir, "catalog"), (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.equal(e.errors.length, 2);
      assert.match(
        e.errors[0].message,
        /Keys "a", "b" are defined in both .*catalog.yml and .*catalog_2.yml/,
      );
      assert.match(e.errors[1].message, /Key "a" is defined in both .*catalog.yml and .*catalog_3.yml/);
      return true;
    });
  });
});

Deno.test("underscore top-level keys are templates: usable, then dropped from non-parameter configs", async () => {
  await withTree({
    "conf/base/catalog.yml": "_csv: {type: csv}\niris:\n  type: ${_csv.type}\n  filepath: data/iris.csv\n",
    "conf/base/credentials.yml": "_base: {user: u}\ndb: ${_base}\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    assert.deepEqual((await load(dir, "catalog")).data, { iris: { type: "csv", filepath: "data/iris.csv" } });
    assert.deepEqual((await load(dir, "credentials")).data, { db: { user: "u" } });
  });
});

Deno.test("a missing catalog is fatal; missing parameters, credentials and mlflow are empty", async () => {
  await withTree({ "conf/base/.gitkeep": "", "conf/local/.gitkeep": "" }, async (dir) => {
    for (const type of ["parameters", "credentials", "mlflow", "globals"]) {
      const c = await load(dir, type);
      assert.deepEqual([c.data, c.files], [{}, []], type);
    }
    const e = await rejectsWith(
      () => load(dir, "catalog"),
      ConfigError,
      "config/missing-catalog",
      /No catalog files found in .*conf\/base or .*conf\/local matching catalog\*/,
    );
    assert.match(e.hint!, /create .*conf\/base\/catalog.yml/);
  });
});

Deno.test("a YAML syntax error in a conf file names the file, line and column", async () => {
  await withTree({
    "conf/base/catalog.yml": "iris:\n  type: csv\n filepath: x\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const e = await rejectsWith(() => load(dir, "catalog"), ConfigError, "yaml/syntax", /catalog.yml/);
    assert.equal(e.source?.file, join(dir, "conf/base/catalog.yml"));
    assert.deepEqual([e.source?.line, e.source?.column], [3, 2]);
  });
});

Deno.test("two YAML documents in one file, or a language tag, get a position and a hint that fits", async () => {
  await withTree({
    "conf/base/parameters.yml": "# comment\n---\na: 1\n---\nb: 2\n",
    "conf/base/catalog.yml": "a: !!python/tuple [1, 2]\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const docs = await rejectsWith(
      () => load(dir, "parameters"),
      ConfigError,
      "yaml/syntax",
      /single document/,
    );
    assert.deepEqual([docs.source?.line, docs.source?.column], [4, 1]);
    assert.match(docs.hint!, /one YAML document: remove the `---` separator/);
    const tag = await rejectsWith(() => load(dir, "catalog"), ConfigError, "yaml/syntax", /unknown tag/);
    assert.match(tag.hint!, /tags such as !!python\/tuple .* are not supported/);
  });
});

Deno.test("YAML errors in several files of one type are all reported", async () => {
  await withTree({
    "conf/base/parameters.yml": "a: [1\n",
    "conf/local/parameters.yml": "b: {\n",
  }, async (dir) => {
    await assert.rejects(() => load(dir, "parameters"), (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.deepEqual(e.errors.map((x) => [x.code, x.source?.file]), [
        ["yaml/syntax", join(dir, "conf/base/parameters.yml")],
        ["yaml/syntax", join(dir, "conf/local/parameters.yml")],
      ]);
      return true;
    });
  });
});

Deno.test("a file that is not a mapping is an error", async () => {
  await withTree({ "conf/base/parameters.yml": "- a\n- b\n", "conf/local/.gitkeep": "" }, async (dir) => {
    await rejectsWith(() => load(dir, "parameters"), ConfigError, "config/not-a-mapping", /parameters.yml/);
  });
});

Deno.test("loading is lazy: only files of the requested type are read, and each type is cached", async () => {
  await withTree({
    "conf/base/catalog.yml": "broken: [\n",
    "conf/base/parameters.yml": "a: 1\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const loader = await ConfigLoader.create({ confSource: join(dir, "conf"), env: "local" });
    const first = await loader.get("parameters");
    await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), "a: 2\n");
    // Read once (the file's new text is not seen); each caller gets its own copy of the data.
    const second = await loader.get("parameters");
    assert.deepEqual(second.data, { a: 1 });
    assert.notEqual(second.data, first.data);
    assert.deepEqual(first.data, { a: 1 });
    await rejectsWith(() => loader.get("catalog"), ConfigError, "yaml/syntax");
  });
});

Deno.test("runtime params are deep-merged into each env that has parameter files (Kedro's quirk)", async () => {
  await withTree({
    "conf/base/parameters.yml": "model: {lr: 0.1, n_iter: 300}\n",
    "conf/local/parameters.yml": "seed: 1\n",
    "conf/prod/.gitkeep": "",
  }, async (dir) => {
    const runtimeParams = { model: { lr: 0.5 } };
    const local = await load(dir, "parameters", { runtimeParams });
    assert.deepEqual(local.data, { model: { lr: 0.5 }, seed: 1 }, "local's model replaces base's model");
    const prod = await load(dir, "parameters", { runtimeParams, env: "prod" });
    assert.deepEqual(prod.data, { model: { lr: 0.5, n_iter: 300 } });
    assert.deepEqual(prod.locate(["model", "lr"]), { keyPath: "model.lr" }, "set by --params, not a file");
    assert.equal(prod.locate(["model", "n_iter"])?.line, 1);
  });
});

Deno.test("a runtime param below a list parameter is refused at the list instead of replacing it", async () => {
  await withTree({
    "conf/base/parameters.yml": "model:\n  features: [a, b]\n  lr: 0.1\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const e = await rejectsWith(
      () => load(dir, "parameters", { runtimeParams: { model: { features: { 0: "x" } } } }),
      ConfigError,
      "config/params-into-list",
      /--params sets model\.features\.0, but parameter model\.features is a list/,
    );
    assert.equal(e.source?.line, 2);
    assert.match(e.hint!, /model\.features=\[\.\.\.\]/);
    const whole = await load(dir, "parameters", { runtimeParams: { model: { features: ["x"] } } });
    assert.deepEqual(whole.data, { model: { features: ["x"], lr: 0.1 } });
  });
});

Deno.test("runtime params alone become the parameters when there are no parameter files", async () => {
  await withTree({ "conf/base/catalog.yml": "{}\n", "conf/local/.gitkeep": "" }, async (dir) => {
    const p = await load(dir, "parameters", { runtimeParams: { a: { b: 1 } } });
    assert.deepEqual(p.data, { a: { b: 1 } });
    assert.deepEqual(p.locate(["a", "b"]), { keyPath: "a.b" });
    assert.deepEqual((await load(dir, "catalog", { runtimeParams: { a: 1 } })).data, {}, "not in catalog");
  });
});

Deno.test("locate works inside lists, for interpolated values and for the whole config", async () => {
  await withTree({
    "conf/base/parameters.yml": "features:\n  - a\n  - b\nbase: {x: 1}\ncopy: ${base}\n",
    "conf/local/parameters.yml": "seed: 3\n",
  }, async (dir) => {
    const p = await load(dir, "parameters");
    assert.equal(p.locate(["features", 1])?.line, 3);
    assert.equal(p.locate(["features", "1"])?.line, 3);
    assert.deepEqual(p.data.copy, { x: 1 });
    const copied = p.locate(["copy", "x"]);
    assert.deepEqual([copied?.line, copied?.keyPath], [5, "copy.x"], "the value that produced it");
    assert.equal(p.locate([])?.file, join(dir, "conf/local/parameters.yml"));
    assert.equal(p.locate(["nope"]), undefined);
  });
});
