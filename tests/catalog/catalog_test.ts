/** The Catalog API over catalog config: entries, arguments, credentials, parameters and errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { z as npmZod } from "zod";
import { z as zod3 } from "zod/v3";
import {
  builtinRegistry,
  Catalog,
  type Dataset,
  type DatasetRegistry,
  isParameter,
  JsonDataset,
  MemoryDataset,
} from "../../lib/catalog/mod.ts";
import { ConfigError, DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { BUILTIN_TYPE_NAMES, CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

/** A registry whose `probe` type records the arguments it was built with. */
function probeRegistry(seen: Record<string, unknown>[]): DatasetRegistry {
  const registry = builtinRegistry();
  registry.register(["probe", "ProbeDataset"], (args) => {
    seen.push(args);
    return { load: () => args, save() {}, exists: () => true, describe: () => ({}) };
  });
  return registry;
}

Deno.test("relative paths resolve against the project root; URLs and absolute paths are kept; metadata passes through", async () => {
  await inTempDir(async (root) => {
    const seen: Record<string, unknown>[] = [];
    const yaml = "x:\n  type: json\n  filepath: data/x.json\n  metadata: {owner: me}\n" +
      "p:\n  type: probe\n  nested: {path: rel/dir, filename: /abs/f.txt}\n  url: {filepath: 's3://bucket/k.csv'}\n";
    const c = await Catalog.fromConfig(catalogConfig(yaml), {
      projectRoot: root,
      registry: probeRegistry(seen),
    });
    await c.save("x", { a: 1 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(root, "data/x.json"))), { a: 1 });
    assert.deepEqual((await c.get("x") as JsonDataset).metadata, { owner: "me" });
    assert.deepEqual(c.resolveConfig("x"), {
      type: "json",
      filepath: "data/x.json",
      metadata: { owner: "me" },
    });
    assert.deepEqual(seen[0], {
      nested: { path: join(root, "rel/dir"), filename: "/abs/f.txt" },
      url: { filepath: "s3://bucket/k.csv" },
    });
  });
});

Deno.test("short names, class names and kedro-datasets names are accepted; typeName shows the class name", async () => {
  const yaml =
    "a: {type: csv, filepath: a.csv}\nb: {type: CSVDataset, filepath: b.csv}\nc: {type: CsvDataset, filepath: c.csv}\n" +
    "d: {type: pandas.CSVDataset, filepath: d.csv}\ne: {type: kedro_datasets.pandas.CSVDataset, filepath: e.csv}\n" +
    "f: {type: json.JSONDataset, filepath: f.json}\ng: {type: kedro.io.MemoryDataset}\n";
  const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  assert.deepEqual(["a", "b", "c", "d", "e"].map((n) => c.typeName(n)), Array(5).fill("CSVDataset"));
  assert.equal(c.typeName("f"), "JSONDataset");
  assert.equal(c.typeName("g"), "MemoryDataset");
  assert.ok(c.isEphemeral("g") && !c.isEphemeral("a"));
  assert.deepEqual(c.names(), ["a", "b", "c", "d", "e", "f", "g"]);
});

Deno.test("entry errors are all reported together, each with its location and a hint", async () => {
  const yaml =
    "a: just-a-path.csv\nb: {filepath: x}\nc: {type: jsn, filepath: x}\nd: {type: csv, filepath: x, load_args: {delimeter: ';'}}\n" +
    "e: {type: csv, filepath: x, sep: ';'}\nf: {type: csv, filepath: x, save_args: {indx: false}}\n";
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.ok(e.errors.every((x) => x instanceof DatasetError && x.source?.file === CATALOG_FILE));
      const byKey = Object.fromEntries(e.errors.map((x) => [x.source!.keyPath, x]));
      assert.equal(byKey["a"].code, "catalog/bad-entry");
      assert.match(byKey["a"].hint!, /prefix its key with "_"/);
      assert.equal(byKey["b"].code, "catalog/missing-type");
      assert.equal(byKey["c.type"].code, "catalog/unknown-type");
      assert.match(byKey["c.type"].hint!, /did you mean "json"/);
      // csv's argument schemas are built when an entry gives them (`deferred`): same message, place and
      // hint, with every key of the schema (lib/yaml/validate.ts sees through the deferred schema).
      assert.equal(byKey["d.load_args.delimeter"].code, "catalog/bad-argument");
      assert.equal(
        byKey["d.load_args.delimeter"].message,
        'Unknown key "d.load_args.delimeter" in dataset "d" (csv)',
      );
      assert.equal(
        byKey["d.load_args.delimeter"].hint,
        'did you mean "delimiter"? (allowed here: header, names, columns, usecols, skiprows, nrows, na_values, ' +
          "keep_default_na, dtype, true_values, false_values, thousands, decimal, sep, delimiter, typing, " +
          "encoding, quotechar, escapechar, comment, skip_blank_lines, engine)",
      );
      assert.deepEqual(
        [byKey["d.load_args.delimeter"].source?.line, byKey["d.load_args.delimeter"].source?.column],
        [4, 52],
      );
      assert.equal(
        byKey["f.save_args.indx"].hint,
        'did you mean "index"? (allowed here: header, columns, index, index_label, na_rep, sep, delimiter, encoding)',
      );
      assert.equal(byKey["f.save_args.indx"].source?.line, 6);
      assert.equal(byKey["e.sep"].code, "catalog/bad-argument");
      assert.match(byKey["e.sep"].message, /Unknown key "e\.sep"/);
      return true;
    },
  );
});

Deno.test("argument values are validated: wrong types, bad enums and non-mapping metadata", async () => {
  const yaml =
    "a: {type: csv, filepath: a.csv, load_args: {header: 'yes'}}\nb: {type: memory, copy_mode: clone}\n" +
    "c: {type: json, filepath: c.json, metadata: [1]}\nd: {type: json, filepath: d.json, versioned: 'yes'}\n";
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      const byKey = Object.fromEntries(e.errors.map((x) => [x.source!.keyPath, x]));
      assert.deepEqual(Object.keys(byKey).sort(), [
        "a.load_args.header",
        "b.copy_mode",
        "c.metadata",
        "d.versioned",
      ]);
      assert.ok(e.errors.every((x) => x.code === "catalog/bad-argument"));
      assert.match(byKey["a.load_args.header"].hint!, /boolean/);
      assert.match(byKey["b.copy_mode"].hint!, /deepcopy/);
      return true;
    },
  );
});

Deno.test("an empty filepath or path is refused where it is written, not taken as the project root", async () => {
  const yaml = "a: {type: json, filepath: ''}\nb: {type: partitioned, path: '', dataset: csv}\n" +
    "c: {type: csv, filepath: data/c.csv}\n";
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      assert.deepEqual(e.errors.map((x) => [x.code, x.source?.keyPath]), [
        ["catalog/bad-argument", "a.filepath"],
        ["catalog/bad-argument", "b.path"],
      ]);
      assert.match(e.errors[0].message, /Too small: expected string to have >=1 characters/);
      return true;
    },
  );
});

Deno.test("credentials are injected by name at any mapping depth; resolveConfig keeps the reference", async () => {
  const seen: Record<string, unknown>[] = [];
  const creds = catalogConfig(
    "db: {user: u, password: p}\napi: {token: t}\n",
    "/project/conf/local/credentials.yml",
  );
  const yaml =
    "w:\n  type: probe\n  credentials: db\n  inner: {client: {credentials: api}}\n  list: [{credentials: db}]\n";
  const c = await Catalog.fromConfig(catalogConfig(yaml), {
    projectRoot: "/p",
    credentials: creds,
    registry: probeRegistry(seen),
  });
  assert.deepEqual(seen[0], {
    credentials: { user: "u", password: "p" },
    inner: { client: { credentials: { token: "t" } } },
    list: [{ credentials: "db" }],
  });
  assert.equal(c.resolveConfig("w")?.credentials, "db");
});

Deno.test("a missing credentials name is an error naming the entry, its location and the defined names", async () => {
  const creds = catalogConfig("db: {user: u}\nwarehouse: {user: w}\n", "/project/conf/local/credentials.yml");
  await assert.rejects(
    () =>
      Catalog.fromConfig(catalogConfig("t:\n  type: json\n  filepath: x\n  credentials: dbb\n"), {
        projectRoot: "/p",
        credentials: creds,
      }),
    (e: DatasetError) => {
      assert.equal(e.code, "catalog/unknown-credentials");
      assert.match(e.message, /"dbb".*"t"/);
      assert.deepEqual(e.source, { file: CATALOG_FILE, line: 4, column: 16, keyPath: "t.credentials" });
      assert.match(
        e.hint!,
        /did you mean "db"\? Otherwise add a "dbb:" block to conf\/local\/credentials\.yml \(defined credentials: db, warehouse\)/,
      );
      return true;
    },
  );
});

Deno.test("parameters register as parameters and params:<path> recursively, as memory datasets", async () => {
  const c = Catalog.empty();
  const params = { model: { lr: 0.1, opt: { b: 1 } }, seed: 3, list: [1, 2] };
  c.addParameters(params);
  assert.deepEqual(c.names(), [
    "parameters",
    "params:list",
    "params:model",
    "params:model.lr",
    "params:model.opt",
    "params:model.opt.b",
    "params:seed",
  ]);
  assert.deepEqual(await c.load("params:model.opt"), { b: 1 });
  assert.equal(await c.load("params:model.opt.b"), 1);
  assert.deepEqual(await c.load("parameters"), params);
  (await c.load("params:model") as { lr: number }).lr = 99;
  assert.equal(await c.load("params:model.lr"), 0.1, "a node mutating a parameter does not affect others");
  assert.ok(
    c.isEphemeral("params:seed") && isParameter("params:seed") && isParameter("parameters") &&
      !isParameter("params"),
  );
  c.addParameters({ seed: 4 });
  assert.equal(await c.load("params:seed"), 4, "adding parameters again replaces them");
});

Deno.test("unknown names: get fails with did-you-mean, unless a runtime memory dataset is asked for", async () => {
  const c = await Catalog.fromConfig(catalogConfig("iris: {type: csv, filepath: iris.csv}\n"), {
    projectRoot: "/p",
  });
  await assert.rejects(
    () => c.get("irs"),
    (e: DatasetError) =>
      e instanceof DatasetError && e.code === "catalog/unknown-dataset" &&
      /did you mean "iris"/.test(e.hint!),
  );
  await assert.rejects(
    () => c.load("irs"),
    (e: DatasetError) => e instanceof DatasetError && e.code === "catalog/unknown-dataset",
  );
  assert.equal(await c.exists("irs"), false);
  assert.ok(!c.has("tmp") && c.isEphemeral("tmp"));
  const ds = await c.get("tmp", { fallbackToRuntimePattern: true });
  assert.ok(ds instanceof MemoryDataset);
  assert.equal(await c.get("tmp"), ds, "the runtime dataset is kept");
  assert.ok(c.has("tmp") && !c.names().includes("tmp"));
  assert.equal(c.typeName("tmp"), "MemoryDataset");
});

Deno.test("saving null or undefined is refused; load and save failures name the dataset and type", async () => {
  await inTempDir(async (root) => {
    const c = await Catalog.fromConfig(
      catalogConfig("x: {type: json, filepath: x.json}\ny: {type: text, filepath: y.txt}\n"),
      { projectRoot: root },
    );
    await assert.rejects(
      () => c.save("x", undefined),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/save-none",
    );
    await assert.rejects(
      () => c.save("x", null),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/save-none",
    );
    await assert.rejects(
      () => c.load("x"),
      (e: DatasetError) =>
        e.code === "dataset/file-not-found" && /"x" \(JSONDataset\)/.test(e.message) &&
        e.source?.keyPath === "x",
    );
    await assert.rejects(
      () => c.save("y", 42),
      (e: DatasetError) =>
        e.code === "dataset/not-text" && /Cannot save dataset "y" \(TextDataset\)/.test(e.message),
    );
  });
});

Deno.test("non-kmlf errors of a dataset are wrapped as DatasetError with the original as cause", async () => {
  const boom = new TypeError("disk on fire");
  const c = Catalog.empty();
  c.add("flaky", { load: () => Promise.reject(boom), save() {}, exists: () => true, describe: () => ({}) });
  await assert.rejects(() => c.load("flaky"), (e: DatasetError) => {
    assert.ok(e instanceof DatasetError);
    assert.equal(e.code, "dataset/load-failed");
    assert.match(e.message, /Cannot load dataset "flaky" \(Object\): disk on fire/);
    assert.equal(e.cause, boom);
    return true;
  });
});

Deno.test("add refuses to replace a name silently; confirm needs a confirm() method", async () => {
  const c = Catalog.empty();
  c.add("m", new MemoryDataset({ data: 1 }));
  assert.throws(
    () => c.add("m", new MemoryDataset()),
    (e: DatasetError) => e instanceof DatasetError && e.code === "catalog/duplicate",
  );
  c.add("m", new JsonDataset({ filepath: "/tmp/never.json" }), { replace: true });
  assert.equal(c.typeName("m"), "JSONDataset");
  await assert.rejects(
    () => c.confirm("m"),
    (e: DatasetError) => e instanceof DatasetError && e.code === "catalog/no-confirm",
  );
  let confirmed = 0;
  const confirmable: Dataset = {
    load: () => 1,
    save() {},
    exists: () => true,
    describe: () => ({}),
    confirm: () => void confirmed++,
  };
  c.add("c", confirmable);
  await c.confirm("c");
  assert.equal(confirmed, 1);
});

Deno.test("release frees memory data; unknown names are a no-op", async () => {
  const c = Catalog.empty();
  await c.save("tmp", [1]);
  assert.equal(await c.exists("tmp"), true);
  await c.release("tmp");
  assert.equal(await c.exists("tmp"), false);
  await c.release("never-used");
});

Deno.test("the registry is extensible by other layers, with optional strict argument schemas", async () => {
  const registry = builtinRegistry();
  registry.register(
    ["const", "ConstDataset"],
    (args) => ({ load: () => args.value, save() {}, exists: () => true, describe: () => ({}) }),
  );
  const c = await Catalog.fromConfig(catalogConfig("k: {type: const, value: 42}\n"), {
    projectRoot: "/p",
    registry,
  });
  assert.equal(await c.load("k"), 42);
  assert.equal(c.typeName("k"), "ConstDataset");
  assert.deepEqual(builtinRegistry().typeNames(), BUILTIN_TYPE_NAMES);
  assert.ok(registry.typeNames().includes("const"));
});

Deno.test("a plugin's schema built with npm zod's classic API validates its type's arguments", async () => {
  // kmlf's own schemas use zod/mini; plugins and projects import npm zod, whose schemas must work as well.
  const registry = builtinRegistry();
  registry.register(
    ["const", "ConstDataset"],
    (args) => ({ load: () => args.value, save() {}, exists: () => true, describe: () => ({}) }),
    { schema: npmZod.strictObject({ value: npmZod.number().int().min(0) }) },
  );
  const build = (yaml: string) => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p", registry });
  assert.equal(await (await build("k: {type: const, value: 42}\n")).load("k"), 42);
  const problems = async (yaml: string) => {
    const error = await build(yaml).then(() => undefined, (e: DatasetError | KmlfAggregateError) => e);
    assert.ok(error, `no error for ${yaml}`);
    const errors = error instanceof KmlfAggregateError ? error.errors : [error];
    return errors.map((e) => `${e.source?.keyPath}: ${e.message} (${e.hint ?? ""})`);
  };
  const typo = (await problems("k: {type: const, valeu: 42}\n")).join("\n");
  assert.match(typo, /^k\.valeu: Unknown key "k\.valeu".*did you mean "value"/m);
  assert.match(typo, /^k: Missing key "k\.value"/m);
  assert.deepEqual(await problems("k: {type: const, value: -1}\n"), [
    'k.value: Invalid value for "k.value" in dataset "k" (const): Too small: expected number to be >=0 (fix this value (got -1))',
  ]);
});

Deno.test("a plugin's schema that is not zod 4's (zod 3's) is refused when the type is registered, not blamed on entries", async () => {
  // kmlf parses with zod 4; a zod 3 schema failed every entry with "Cannot read properties of undefined".
  const factory = () => ({ load: () => 1, save() {}, exists: () => true, describe: () => ({}) });
  const refused = (e: unknown) =>
    e instanceof ConfigError && e.code === "catalog/bad-schema" &&
    /"old_const".*not a zod 4 schema/.test(e.message) &&
    /zod 3/.test(e.hint ?? "");
  const schema = zod3.object({ value: zod3.number() }) as never;
  assert.throws(() => builtinRegistry().register(["old_const"], factory, { schema }), refused);
  // A lazily registered type's definition is checked when it loads: the entry's creation reports it as such.
  const registry = builtinRegistry();
  registry.registerLazy(["old_const"], () => Promise.resolve({ factory, schema }));
  await assert.rejects(registry.resolve("old_const"), refused);
  const error = await Catalog.fromConfig(catalogConfig("k: {type: old_const, value: 1}\n"), {
    projectRoot: "/p",
    registry,
  }).then(() => undefined, (e) => e);
  const errors = error instanceof KmlfAggregateError ? error.errors : [error];
  // …located at the entry that names the type.
  assert.deepEqual(
    errors.map((e) => [e.code, e.source?.keyPath, refused(new ConfigError(e.code, e.message, e))]),
    [
      ["catalog/bad-schema", "k", true],
    ],
  );
});

Deno.test("every entry gets its own copy of a named credentials block: a dataset changing it changes no other", async () => {
  const seen: Record<string, unknown>[] = [];
  const registry = builtinRegistry();
  registry.register(["greedy"], (args) => {
    const creds = args.credentials as { password?: string; options: { ssl: boolean } };
    seen.push({ password: creds.password, ssl: creds.options.ssl });
    delete creds.password; // as a dataset may, once connected
    creds.options.ssl = false;
    return { load: () => null, save() {}, exists: () => true, describe: () => ({}) };
  });
  const yaml = "a:\n  type: greedy\n  credentials: db\nb:\n  type: greedy\n  credentials: db\n";
  const credentials = catalogConfig("db: {password: s3cret, options: {ssl: true}}\n");
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p", registry, credentials });
  assert.deepEqual(seen, [{ password: "s3cret", ssl: true }, { password: "s3cret", ssl: true }]);
  assert.deepEqual(credentials.data, { db: { password: "s3cret", options: { ssl: true } } });
  assert.deepEqual(catalog.resolveConfig("a"), { type: "greedy", credentials: "db" });
});

Deno.test("a catalog keeps its own copy of the config it was built from: changing that config later changes no dataset", async () => {
  await inTempDir(async (root) => {
    await Deno.writeTextFile(join(root, "t.csv"), "a;b\n1;2\n");
    const config = catalogConfig(
      "t:\n  type: csv\n  filepath: t.csv\n  load_args: {sep: ';'}\n'{name}_x':\n  type: csv\n  filepath: '{name}.csv'\n  load_args: {sep: ';'}\n",
    );
    const catalog = await Catalog.fromConfig(config, { projectRoot: root });
    const entries = config.data as Record<string, { load_args: { sep: string } }>;
    entries.t.load_args.sep = ",";
    entries["{name}_x"].load_args.sep = ",";
    assert.deepEqual(await catalog.load("t"), [{ a: 1, b: 2 }]);
    assert.deepEqual(await catalog.load("t_x"), [{ a: 1, b: 2 }]);
  });
});
