/** PartitionedDataset: lazy loading, lazy saving, suffix filtering, overwrite, and its catalog entry. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  builtinRegistry,
  Catalog,
  JsonDataset,
  PartitionedDataset,
  TextDataset,
} from "../../lib/catalog/mod.ts";
import { z } from "../../lib/zod/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";
import { filesUnder, inTempDir } from "./dataset_contract.ts";

Deno.test("partitioned load is lazy: nothing is read until a partition function is called", async () => {
  await inTempDir(async (dir) => {
    let created = 0;
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      createPartition: (f) => (created++, new TextDataset({ filepath: f })),
      filenameSuffix: ".txt",
    });
    await ds.save({ a: "1", b: () => "2", "nested/c": async () => await Promise.resolve("3") });
    assert.deepEqual(await filesUnder(join(dir, "p")), ["a.txt", "b.txt", "nested/c.txt"]);
    created = 0;
    const parts = await ds.load();
    assert.deepEqual(Object.keys(parts), ["a", "b", "nested/c"]);
    assert.equal(created, 0);
    assert.equal(await parts["nested/c"](), "3");
    assert.equal(created, 1);
  });
});

Deno.test("partitioned ignores files without the suffix and reports an empty folder", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "p");
    const ds = new PartitionedDataset({
      path,
      filenameSuffix: ".json",
      createPartition: (f) => new JsonDataset({ filepath: f }),
    });
    await assert.rejects(
      () => ds.load(),
      (e: DatasetError) =>
        e instanceof DatasetError && e.code === "dataset/no-partitions" && /\.json/.test(e.hint!),
    );
    await Deno.mkdir(path);
    await Deno.writeTextFile(join(path, "README.md"), "not a partition");
    await Deno.writeTextFile(join(path, "x.json"), "[1]");
    assert.deepEqual(Object.keys(await ds.load()), ["x"]);
  });
});

Deno.test("partitioned overwrite removes stale partitions; bad ids and non-records are refused", async () => {
  await inTempDir(async (dir) => {
    const make = (overwrite: boolean) =>
      new PartitionedDataset({
        path: join(dir, "p"),
        overwrite,
        createPartition: (f) => new TextDataset({ filepath: f }),
      });
    await make(false).save({ old: "o", keep: "k" });
    await make(false).save({ added: "a" });
    assert.deepEqual(Object.keys(await make(false).load()), ["added", "keep", "old"]);
    await make(true).save({ keep: "k2" });
    assert.deepEqual(Object.keys(await make(true).load()), ["keep"]);
    await assert.rejects(
      () => make(false).save({ "../escape": "x" }),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/bad-partition-id",
    );
    await assert.rejects(
      () => make(false).save(["x"] as never),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-partitions",
    );
  });
});

Deno.test("a partition its dataset refuses is named in the error, and good partitions on disk stay", async () => {
  await inTempDir(async (dir) => {
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      filenameSuffix: ".json",
      createPartition: (f) => new JsonDataset({ filepath: f }),
    });
    await ds.save({ a: [1], b: [2] });
    await assert.rejects(
      () => ds.save({ a: [1], b: [{ x: 10n }] }),
      (e: DatasetError) =>
        e instanceof DatasetError && e.code === "dataset/not-serializable" &&
        /^partition "b": JSON cannot hold a BigInt/.test(e.message) && /convert it first/.test(e.hint!),
    );
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "p/b.json"))), [2]);
  });
});

Deno.test("a partitioned catalog entry builds its underlying dataset type per file", async () => {
  await inTempDir(async (root) => {
    const yaml =
      'reports:\n  type: partitioned\n  path: data/reports\n  dataset: {type: json, save_args: {indent: 0}}\n  filename_suffix: ".json"\n';
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await catalog.save("reports", { jan: { n: 1 } });
    assert.equal(await Deno.readTextFile(join(root, "data/reports/jan.json")), '{\n"n": 1\n}');
    assert.equal(catalog.typeName("reports"), "PartitionedDataset");
    const bad = "r:\n  type: partitioned\n  path: p\n  dataset: {type: json, filepath: x.json}\n";
    await assert.rejects(
      () => Catalog.fromConfig(catalogConfig(bad), { projectRoot: root }),
      (e: DatasetError) =>
        e.code === "catalog/bad-argument" && /filepath/.test(e.message) &&
        e.source?.keyPath === "r.dataset.filepath" && e.source.line === 4,
    );
    const badType = "r:\n  type: partitioned\n  path: p\n  dataset: jsn\n";
    await assert.rejects(
      () => Catalog.fromConfig(catalogConfig(badType), { projectRoot: root }),
      (e: DatasetError) => e instanceof DatasetError && e.code === "catalog/unknown-type",
    );
  });
});

Deno.test("partition ids with spaces, unicode, dots and numeric text come back as saved; hidden ones are refused", async () => {
  await inTempDir(async (dir) => {
    const make = () =>
      new PartitionedDataset({
        path: join(dir, "p"),
        filenameSuffix: ".txt",
        createPartition: (f) => new TextDataset({ filepath: f }),
      });
    const ids = ["a b", "ü/ñ", "x.txt", "007", "1e3", "dotted.name", "#hash", "trailing "];
    await make().save(Object.fromEntries(ids.map((id) => [id, id])));
    const parts = await make().load();
    assert.deepEqual(Object.keys(parts), [...ids].sort());
    for (const id of ids) assert.equal(await parts[id](), id);
    // A load skips hidden entries, so a partition saved under one would be lost.
    for (const id of [".hidden", "2024/.draft", ".cache/x"]) {
      await assert.rejects(
        () => make().save({ [id]: "x" }),
        (e: DatasetError) => e.code === "dataset/bad-partition-id" && /hidden/.test(e.message),
      );
    }
    assert.deepEqual(Object.keys(await make().load()).length, ids.length, "nothing was written");
  });
});

// A project dataset class whose file option is not `filepath` (Kedro's filepath_arg), showing its credentials.
const LOCATED_CLASS = `export class Located {
  constructor(readonly o: { location: string; credentials?: unknown }) {}
  async load() { return { data: JSON.parse(await Deno.readTextFile(this.o.location)), credentials: this.o.credentials }; }
  async save(data: unknown) {
    await Deno.mkdir(this.o.location.replace(/\\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(this.o.location, JSON.stringify(data));
  }
  async exists() { return false; }
  describe() { return { location: this.o.location }; }
}
`;

Deno.test("filepath_arg names the dataset's file option; the entry's credentials reach it unless it sets its own", async () => {
  await inTempDir(async (root) => {
    await Deno.mkdir(join(root, "src"));
    await Deno.writeTextFile(join(root, "src/located.ts"), LOCATED_CLASS);
    const yaml = "top:\n  type: partitioned\n  path: data/p\n  filepath_arg: location\n" +
      "  dataset: ./src/located.ts#Located\n  credentials: {token: top}\n" +
      "own:\n  type: incremental\n  path: data/p\n  filepath_arg: location\n" +
      "  dataset: {type: ./src/located.ts#Located, credentials: {token: own}}\n  credentials: {token: top}\n";
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await catalog.save("top", { a: 1, "s/b": 2 });
    assert.deepEqual(await filesUnder(join(root, "data/p")), ["a", "s/b"]);
    const parts = await catalog.load("top") as Record<string, () => Promise<unknown>>;
    assert.deepEqual(Object.keys(parts), ["a", "s/b"]);
    assert.deepEqual(await parts["s/b"](), { data: 2, credentials: { token: "top" } });
    assert.deepEqual(await catalog.load("own"), {
      a: { data: 1, credentials: { token: "own" } },
      "s/b": { data: 2, credentials: { token: "own" } },
    });
  });
});

Deno.test("load_args.maxdepth lists the files that many levels deep; a save deeper is refused", async () => {
  await inTempDir(async (root) => {
    const yaml = (depth: string) =>
      `p:\n  type: partitioned\n  path: data/p\n  dataset: text\n  load_args: {maxdepth: ${depth}}\n`;
    const build = async (depth: string) =>
      await Catalog.fromConfig(catalogConfig(yaml(depth)), { projectRoot: root });
    await (await build("3")).save("p", { a: "1", "x/b": "2", "x/y/c": "3" });
    assert.deepEqual(Object.keys(await (await build("1")).load("p") as object), ["a"]);
    assert.deepEqual(Object.keys(await (await build("2")).load("p") as object), ["a", "x/b"]);
    await assert.rejects(
      async () => await (await build("2")).save("p", { "x/y/d": "4" }),
      (e: DatasetError) =>
        e.code === "dataset/bad-partition-id" &&
        /3 levels deep, deeper than load_args\.maxdepth \(2\)/.test(e.message),
    );
    await assert.rejects(
      () => build("0"),
      (e: DatasetError) => e.code === "catalog/bad-argument" && e.source?.keyPath === "p.load_args.maxdepth",
    );
  });
});

Deno.test("a save of a Map, a class instance or a string is refused saying what it got; overwrite deletes nothing", async () => {
  await inTempDir(async (dir) => {
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      overwrite: true,
      createPartition: (f) => new TextDataset({ filepath: f }),
    });
    await ds.save({ kept: "k" });
    const cases: [unknown, RegExp][] = [
      [new Map([["a", "1"]]), /got a Map$/],
      [new (class Parts {})(), /got a Parts$/],
      ["text", /got a string$/],
      [() => ({ a: "1" }), /got a function$/],
    ];
    for (const [value, message] of cases) {
      await assert.rejects(
        () => ds.save(value as never),
        (e: DatasetError) => e.code === "dataset/not-partitions" && message.test(e.message),
      );
    }
    assert.deepEqual(await filesUnder(join(dir, "p")), ["kept"]);
  });
});

Deno.test("a lazy partition whose function throws is named; ids where a file would be another's folder are refused", async () => {
  await inTempDir(async (dir) => {
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      createPartition: (f) => new TextDataset({ filepath: f }),
    });
    const boom = new Error("boom");
    await assert.rejects(
      () =>
        ds.save({
          a: "1",
          b: () => {
            throw boom;
          },
        }),
      (e: DatasetError) =>
        e.code === "dataset/save-failed" &&
        e.message === 'the function computing partition "b" threw: boom' &&
        e.cause === boom && e.userCode === true,
    );
    // Without a suffix, "x" is a file and the folder of "x/y": refused before anything is written.
    await assert.rejects(
      () => ds.save({ w: "0", x: "1", "x/y": "2" }),
      (e: DatasetError) =>
        e.code === "dataset/bad-partition-id" && /"x" and "x\/y" clash: x would be both a file and the folder/
          .test(e.message),
    );
    assert.equal(await Deno.stat(join(dir, "p/w")).catch(() => "absent"), "absent");
    const suffixed = new PartitionedDataset({
      path: join(dir, "q"),
      filenameSuffix: ".txt",
      createPartition: (f) => new TextDataset({ filepath: f }),
    });
    await suffixed.save({ x: "1", "x/y": "2" });
    assert.deepEqual(Object.keys(await suffixed.load()), ["x", "x/y"]);
  });
});

Deno.test("versioned partitions come in Kedro's order: PartitionedDataset's by their files, IncrementalDataset's by their folders", async () => {
  await inTempDir(async (root) => {
    // find() sorts the files: "2024-01-15/<version>/…" before "2024-01/<version>/…" ("-" < "/").
    const ids = ["2024-01", "2024-01-15", "a", "a b", "a-b"];
    const entry = (type: string) =>
      `p:\n  type: ${type}\n  path: data/p\n  dataset: {type: text, versioned: true}\n`;
    const saving = await Catalog.fromConfig(catalogConfig(entry("partitioned")), {
      projectRoot: root,
      saveVersion: "2024-01-01T00.00.00.000Z",
    });
    await saving.save("p", Object.fromEntries(ids.map((id) => [id, id])));
    const partitioned = await Catalog.fromConfig(catalogConfig(entry("partitioned")), { projectRoot: root });
    assert.deepEqual(Object.keys(await partitioned.load("p") as object), [
      "2024-01-15",
      "2024-01",
      "a b",
      "a-b",
      "a",
    ]);
    const incremental = await Catalog.fromConfig(catalogConfig(entry("incremental")), { projectRoot: root });
    assert.deepEqual(Object.keys(await incremental.load("p") as object), ids);
  });
});

Deno.test("a versioned dataset of partitions keeps <id><suffix>/<version>/<id><suffix> files and loads the newest", async () => {
  await inTempDir(async (root) => {
    const yaml = "p:\n  type: partitioned\n  path: data/p\n  filename_suffix: .json\n" +
      "  dataset: {type: json, versioned: true}\n";
    const run = (saveVersion: string) =>
      Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root, saveVersion });
    await (await run("2024-01-01T00.00.00.000Z")).save("p", { a: 1, "eu/b": 2 });
    await (await run("2024-01-02T00.00.00.000Z")).save("p", { a: 10 });
    assert.deepEqual(await filesUnder(join(root, "data/p")), [
      "a.json/2024-01-01T00.00.00.000Z/a.json",
      "a.json/2024-01-02T00.00.00.000Z/a.json",
      "eu/b.json/2024-01-01T00.00.00.000Z/b.json",
    ]);
    const parts = await (await run("2024-01-03T00.00.00.000Z")).load("p") as Record<
      string,
      () => Promise<unknown>
    >;
    assert.deepEqual(Object.keys(parts), ["a", "eu/b"]);
    assert.deepEqual([await parts.a(), await parts["eu/b"]()], [10, 2]);
    // A file that is no version of a partition (saved before versioned: true) is refused, as in Kedro.
    await Deno.writeTextFile(join(root, "data/p/stray.json"), "{}");
    await assert.rejects(
      async () => await (await run("2024-01-03T00.00.00.000Z")).load("p"),
      (e: DatasetError) =>
        e.code === "dataset/not-versioned-partition" &&
        /stray\.json is not a file of a versioned partition/.test(e.message),
    );
    // overwrite removes a partition not saved again with all its versions.
    await Deno.remove(join(root, "data/p/stray.json"));
    const overwriting = await Catalog.fromConfig(catalogConfig(yaml + "  overwrite: true\n"), {
      projectRoot: root,
      saveVersion: "2024-01-04T00.00.00.000Z",
    });
    await overwriting.save("p", { "eu/b": 3 });
    assert.deepEqual(await filesUnder(join(root, "data/p")), [
      "eu/b.json/2024-01-01T00.00.00.000Z/b.json",
      "eu/b.json/2024-01-04T00.00.00.000Z/b.json",
    ]);
  });
});

// Kedro's PartitionedDataset / IncrementalDataset log KEY_PROPAGATION_WARNING when both levels set credentials.
Deno.test("credentials at the entry and in its dataset or checkpoint: the inner win, with a warning at the key", async () => {
  const yaml = "parts:\n  type: partitioned\n  path: data/p\n  credentials: {token: top}\n" +
    "  dataset: {type: text, credentials: {token: own}}\n" +
    "inc:\n  type: incremental\n  path: data/i\n  dataset: text\n  credentials: {token: top}\n" +
    "  checkpoint: {credentials: {token: own}}\n" +
    // Nothing to say: no inner credentials, or none set at the top (Kedro's `if credentials:`).
    "quiet:\n  type: partitioned\n  path: data/q\n  credentials: {token: top}\n  dataset: text\n" +
    "empty:\n  type: partitioned\n  path: data/e\n  credentials: {}\n  dataset: {type: text, credentials: {a: 1}}\n" +
    '"{name}_parts":\n  type: partitioned\n  path: data/{name}\n  credentials: {token: top}\n' +
    "  dataset: {type: text, credentials: {token: own}}\n";
  const src = parseYaml(yaml, CATALOG_FILE);
  const config = { data: src.value as Record<string, unknown>, locate: src.locate, locateKey: src.locateKey };
  const catalog = await Catalog.fromConfig(config, { projectRoot: "/p" });
  const seen = () =>
    catalog.warnings.map((w) => ({
      name: w.name,
      note: w.note,
      problems: w.problems.map((p) =>
        `${p.code} ${p.source?.line}:${p.source?.column} ${p.message} | ${p.hint}`
      ),
    }));
  const note = "built and used as is";
  const at = (line: number, target: string, own: string) =>
    `catalog/credentials-not-propagated ${line}:3 Top-level credentials of "${own.split(".")[0]}" will not ` +
    `propagate into the ${target} since credentials were explicitly defined in the ${target} config ` +
    `(${own.split(".").slice(1).join(".")}) | the ${target} uses ${
      own.split(".").slice(1).join(".")
    }, as in ` +
    `Kedro; remove credentials or ${own.split(".").slice(1).join(".")}, whichever is not meant`;
  assert.deepEqual(seen(), [
    { name: "inc", note, problems: [at(10, "checkpoint", "inc.checkpoint.credentials")] },
    { name: "parts", note, problems: [at(4, "underlying dataset", "parts.dataset.credentials")] },
  ]);
  // A pattern's dataset says so when it is built.
  await catalog.get("x_parts");
  assert.equal(seen().length, 3);
  assert.deepEqual(seen()[2], {
    name: "x_parts",
    note,
    problems: [at(25, "underlying dataset", "x_parts.dataset.credentials")],
  });
});

// Kedro-datasets hands the entry's credentials to the partitions and the checkpoint `if credentials:`: an
// empty mapping, or null (inline, or a credentials.yml block left empty), reaches neither, so a dataset type
// that takes no credentials still builds (it did not: "unknown key credentials", a key never written there).
Deno.test("empty or null entry credentials reach neither the partitions nor the checkpoint", async () => {
  await inTempDir(async (root) => {
    const registry = builtinRegistry();
    const seen: Record<string, unknown>[] = [];
    registry.register(["plain_text"], (args) => {
      seen.push(args);
      return new TextDataset({ filepath: args.filepath as string });
    }, { schema: z.strictObject({ filepath: z.string() }) });
    const entry = (name: string, credentials: string) =>
      `${name}:\n  type: incremental\n  path: data/${name}\n  dataset: plain_text\n` +
      `  checkpoint: {type: plain_text}\n  credentials: ${credentials}\n` +
      `${name}_p:\n  type: partitioned\n  path: data/${name}_p\n  dataset: {type: plain_text}\n` +
      `  credentials: ${credentials}\n`;
    const yaml = entry("empty", "{}") + entry("none", "null") + entry("named", "blank");
    const credentials = { data: { blank: null }, locate: () => undefined };
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), {
      projectRoot: root,
      registry,
      credentials,
    });
    for (const name of ["empty", "none", "named"]) {
      await catalog.save(`${name}_p`, { a: "1" });
      await catalog.save(name, { a: "1" });
      assert.deepEqual(Object.keys(await catalog.load(name) as object), ["a"]);
      await catalog.confirm(name);
    }
    assert.deepEqual(seen.filter((args) => "credentials" in args), []);
    assert.deepEqual(catalog.warnings, []);
  });
});
