/**
 * IncrementalDataset: loads only partitions past its checkpoint, as data; confirm() moves the checkpoint to
 * what the load listed; its catalog entry (type names, `checkpoint:` config, comparison_func) and the
 * errors of a bad `checkpoint:` (golden: tests/golden/errors/incremental-*.txt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  Catalog,
  IncrementalDataset,
  JsonDataset,
  PartitionedDataset,
  TextDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { assertGolden } from "../cli_harness.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { filesUnder, inTempDir } from "./dataset_contract.ts";

function incremental(dir: string, options: { forceCheckpoint?: string } = {}): IncrementalDataset {
  const path = join(dir, "p");
  return new IncrementalDataset({
    path,
    filenameSuffix: ".json",
    createPartition: (filepath) => new JsonDataset({ filepath }),
    checkpoint: new TextDataset({ filepath: join(path, "CHECKPOINT") }),
    checkpointPath: join(path, "CHECKPOINT"),
    ...options,
  });
}

Deno.test("incremental load returns data of the partitions past the checkpoint; confirm moves it", async () => {
  await inTempDir(async (dir) => {
    const ds = incremental(dir);
    assert.deepEqual(await ds.load(), {}, "an empty folder loads as {} (no error, unlike partitioned)");
    assert.equal(await ds.exists(), false);
    await ds.save({ "2024-01": [1], "2024-02": [2] });
    assert.deepEqual(await ds.load(), { "2024-01": [1], "2024-02": [2] });
    await ds.confirm();
    assert.equal(await Deno.readTextFile(join(dir, "p/CHECKPOINT")), "2024-02");
    assert.deepEqual(
      await ds.load(),
      { "2024-01": [1], "2024-02": [2] },
      "the listing is kept until release",
    );
    ds.release();
    assert.deepEqual(await ds.load(), {});
    await ds.save({ "2024-03": [3] });
    assert.deepEqual(
      await incremental(dir).load(),
      { "2024-03": [3] },
      "a new instance reads the checkpoint",
    );
    assert.deepEqual(await filesUnder(join(dir, "p")), [
      "2024-01.json",
      "2024-02.json",
      "2024-03.json",
      "CHECKPOINT",
    ]);
  });
});

Deno.test("confirm records the last partition the load saw, not one that arrived since", async () => {
  await inTempDir(async (dir) => {
    const ds = incremental(dir);
    await ds.save({ a: 1 });
    assert.deepEqual(await ds.load(), { a: 1 });
    await incremental(dir).save({ b: 2 }); // another writer, while the node ran
    await ds.confirm();
    assert.equal(await Deno.readTextFile(join(dir, "p/CHECKPOINT")), "a");
    assert.deepEqual(await incremental(dir).load(), { b: 2 });
    await incremental(dir).confirm(); // lists b, past "a": the checkpoint moves to it
    await incremental(dir).confirm(); // nothing past "b": the checkpoint stays
    assert.equal(await Deno.readTextFile(join(dir, "p/CHECKPOINT")), "b");
  });
});

Deno.test("ids compare as strings; force_checkpoint overrides the stored one and '' reloads all", async () => {
  await inTempDir(async (dir) => {
    await incremental(dir).save({ "9": 9, "10": 10, "100": 100 });
    await Deno.writeTextFile(join(dir, "p/CHECKPOINT"), "10");
    // "9" > "10" as text, and "100" > "10"; Kedro compares the same way (operator.gt on str).
    const ids = async (ds: IncrementalDataset) => Object.keys(await ds.load()).sort();
    assert.deepEqual(await ids(incremental(dir)), ["100", "9"]);
    assert.deepEqual(await ids(incremental(dir, { forceCheckpoint: "100" })), ["9"]);
    assert.deepEqual(await ids(incremental(dir, { forceCheckpoint: "" })), ["10", "100", "9"]);
    const forced = incremental(dir, { forceCheckpoint: "" });
    await forced.load();
    await forced.confirm();
    assert.equal(
      await Deno.readTextFile(join(dir, "p/CHECKPOINT")),
      "9",
      "confirm still writes the checkpoint",
    );
  });
});

Deno.test("the CHECKPOINT file is never a partition, even without a filename suffix", async () => {
  await inTempDir(async (root) => {
    const yaml = "logs:\n  type: partitions.IncrementalDataset\n  path: data/logs\n  dataset: text\n";
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await catalog.save("logs", { a: "x", b: "y" });
    assert.deepEqual(await catalog.load("logs"), { a: "x", b: "y" });
    await catalog.confirm("logs");
    await catalog.release("logs");
    assert.deepEqual(await catalog.load("logs"), {});
    assert.equal(await Deno.readTextFile(join(root, "data/logs/CHECKPOINT")), "b");
    assert.equal(catalog.typeName("logs"), "IncrementalDataset");
  });
});

Deno.test("every Kedro spelling of the type is accepted", async () => {
  await inTempDir(async (root) => {
    for (
      const type of [
        "incremental",
        "IncrementalDataset",
        "partitions.IncrementalDataset",
        "kedro_datasets.partitions.IncrementalDataset",
      ]
    ) {
      const yaml = `x:\n  type: ${type}\n  path: data/x\n  dataset: json\n`;
      const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
      assert.equal(catalog.typeName("x"), "IncrementalDataset", type);
    }
  });
});

Deno.test("checkpoint: a string is force_checkpoint; a mapping sets its dataset, filepath and comparison", async () => {
  await inTempDir(async (root) => {
    const yaml = `shorthand:
  type: incremental
  path: data/p
  dataset: json
  filename_suffix: .json
  checkpoint: "2024-01"
elsewhere:
  type: incremental
  path: data/p
  dataset: json
  filename_suffix: .json
  checkpoint:
    type: json
    filepath: data/state/checkpoint.json
    comparison_func: operator.ge
ts_compare:
  type: incremental
  path: data/p
  dataset: json
  filename_suffix: .json
  checkpoint:
    filepath: data/state/ts.txt
    force_checkpoint: "2024-02"
    comparison_func: ./compare.ts#olderThan
`;
    await Deno.writeTextFile(
      join(root, "compare.ts"),
      "export const olderThan = (id: string, checkpoint: string) => id < checkpoint;\n",
    );
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await catalog.save("shorthand", { "2024-01": 1, "2024-02": 2, "2024-03": 3 });
    assert.deepEqual(await catalog.load("shorthand"), { "2024-02": 2, "2024-03": 3 });
    assert.deepEqual(await catalog.load("elsewhere"), { "2024-01": 1, "2024-02": 2, "2024-03": 3 });
    await catalog.confirm("elsewhere");
    assert.equal(await Deno.readTextFile(join(root, "data/state/checkpoint.json")), '"2024-03"'); // json.dump: no newline
    await catalog.release("elsewhere");
    assert.deepEqual(
      await catalog.load("elsewhere"),
      { "2024-03": 3 },
      "operator.ge keeps the checkpoint itself",
    );
    assert.deepEqual(await catalog.load("ts_compare"), { "2024-01": 1 });
  });
});

Deno.test("the entry's credentials reach the checkpoint's dataset unless it sets its own (Kedro's precedence)", async () => {
  await inTempDir(async (root) => {
    // A checkpoint class whose stored id is its credentials' token: which credentials it got decides the load.
    await Deno.writeTextFile(
      join(root, "token.ts"),
      `export class Token {
  constructor(readonly o: { credentials?: { token: string } }) {}
  async load() { return this.o.credentials?.token; }
  async save(_id: unknown) {}
  async exists() { return this.o.credentials !== undefined; }
  describe() { return {}; }
}
`,
    );
    const entry = (name: string, checkpoint: string) =>
      `${name}:\n  type: incremental\n  path: data/p\n  dataset: text\n  credentials: {token: b}\n` +
      `  checkpoint: {type: ./token.ts#Token${checkpoint}}\n`;
    const catalog = await Catalog.fromConfig(
      catalogConfig(entry("top", "") + entry("own", ", credentials: {token: a}")),
      { projectRoot: root },
    );
    await catalog.save("top", { a: "1", b: "2", c: "3" });
    assert.deepEqual(await catalog.load("top"), { c: "3" });
    assert.deepEqual(await catalog.load("own"), { b: "2", c: "3" });
  });
});

Deno.test("a versioned dataset of partitions: its versions are one partition, the CHECKPOINT none", async () => {
  await inTempDir(async (root) => {
    const yaml = "p:\n  type: incremental\n  path: data/p\n  dataset: {type: text, versioned: true}\n";
    const run = (saveVersion: string) =>
      Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root, saveVersion });
    await (await run("2024-01-01T00.00.00.000Z")).save("p", { a: "1", b: "2" });
    await (await run("2024-01-02T00.00.00.000Z")).save("p", { b: "20" });
    const catalog = await run("2024-01-03T00.00.00.000Z");
    assert.deepEqual(await catalog.load("p"), { a: "1", b: "20" });
    await catalog.confirm("p");
    assert.equal(await Deno.readTextFile(join(root, "data/p/CHECKPOINT")), "b");
    await (await run("2024-01-04T00.00.00.000Z")).save("p", { c: "3" });
    assert.deepEqual(await (await run("2024-01-05T00.00.00.000Z")).load("p"), { c: "3" });
  });
});

const BAD_CHECKPOINTS: Record<string, { checkpoint: string; files?: Record<string, string> }> = {
  "incremental-python-comparison": { checkpoint: "\n    comparison_func: my_package.utils.newer_than" },
  "incremental-versioned-checkpoint": { checkpoint: "\n    versioned: true" },
  "incremental-force-checkpoint-number": { checkpoint: "\n    force_checkpoint: 2024" },
  "incremental-comparison-missing-export": {
    checkpoint: "\n    comparison_func: ./compare.ts#newer",
    files: { "compare.ts": "export const isNewer = (a: string, b: string) => a > b;\n" },
  },
  "incremental-comparison-not-function": {
    checkpoint: "\n    comparison_func: ./compare.ts#newer",
    files: { "compare.ts": "export const newer = 3;\n" },
  },
  "incremental-checkpoint-bad-type": { checkpoint: "\n    type: jsn" },
};

for (const [name, c] of Object.entries(BAD_CHECKPOINTS)) {
  Deno.test(`a bad checkpoint config is refused with the key and the fix: ${name} (golden)`, async () => {
    await inTempDir(async (root) => {
      for (const [file, text] of Object.entries(c.files ?? {})) {
        await Deno.writeTextFile(join(root, file), text);
      }
      const yaml =
        `raw_logs:\n  type: partitions.IncrementalDataset\n  path: data/logs\n  dataset: text\n  checkpoint:${c.checkpoint}\n`;
      const file = join(root, "conf/base/catalog.yml");
      const error = await Catalog.fromConfig(catalogConfig(yaml, file), { projectRoot: root }).then(
        () => assert.fail("the catalog was accepted"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DatasetError, String(error));
      await assertGolden(
        `errors/${name}`,
        renderError(error, { relativeTo: root }).split(root).join("<project>") + "\n",
      );
    });
  });
}

Deno.test("partitions come in Kedro's order, their file paths sorted: the checkpoint is the file listed last", async () => {
  await inTempDir(async (dir) => {
    const ds = incremental(dir);
    await ds.save({ "2024": 1, "2024-01": 2, "a/b": 3, a: 4 });
    // fsspec's find() sorts "2024-01.json" before "2024.json" ("-" < "."), "a.json" before "a/b.json".
    assert.deepEqual(Object.keys(await ds.load()), ["2024-01", "2024", "a", "a/b"]);
    await ds.confirm();
    assert.equal(await Deno.readTextFile(join(dir, "p/CHECKPOINT")), "a/b");
    const parts = new PartitionedDataset({
      path: join(dir, "p"),
      filenameSuffix: ".json",
      createPartition: (filepath) => new JsonDataset({ filepath }),
    });
    assert.deepEqual(Object.keys(await parts.load()), ["2024-01", "2024", "a", "a/b"]);
  });
});
