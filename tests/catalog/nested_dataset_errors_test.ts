/**
 * A dataset defined inside another's `dataset:` (partitioned, incremental; MlflowArtifactDataset in
 * tests/mlflow/artifact_nested_errors_test.ts): its errors name `<entry>.dataset.<key>` and point at that
 * key's line:column in the file that wrote it — when the catalog is built and when a partition is.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { formatLocation, KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

// Each error as `code message @ file:line:column (key path)`, and ` | hint` if asked.
function described(error: unknown, hints = false): string[] {
  const errors = error instanceof KmlfAggregateError ? error.errors : [error];
  return errors.map((e) =>
    e instanceof KmlfError
      ? `${e.code} ${e.message} @ ${formatLocation(e.source)}${hints ? ` | ${e.hint}` : ""}`
      : String(e)
  );
}

async function catalogErrors(yaml: string, options: { hints?: boolean } = {}): Promise<string[]> {
  try {
    await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/tmp/kmlf-nested-none" });
  } catch (error) {
    return described(error, options.hints);
  }
  throw new Error("the catalog was built");
}

const at = (position: string, keyPath: string) => `${CATALOG_FILE}:${position} (${keyPath})`;

Deno.test("partitioned: a typo'd type in the dataset: shorthand is reported at that value", async () => {
  assert.deepEqual(await catalogErrors("p:\n  type: partitioned\n  path: p\n  dataset: jsn\n"), [
    `catalog/unknown-type Unknown dataset type "jsn" for "p" @ ${at("4:12", "p.dataset")}`,
  ]);
  assert.deepEqual(
    await catalogErrors("p:\n  type: partitioned\n  path: p\n  dataset:\n    type: pandas.CSVDatset\n"),
    [`catalog/unknown-type Unknown dataset type "pandas.CSVDatset" for "p" @ ${
      at("5:11", "p.dataset.type")
    }`],
  );
});

Deno.test("Kedro 0.18's type spellings are named with the current one, at top level and inside dataset:", async () => {
  const hint = async (type: string, nested = false) => {
    const yaml = nested
      ? `p:\n  type: partitioned\n  path: p\n  dataset:\n    type: ${type}\n`
      : `a:\n  type: ${type}\n  filepath: data/a.csv\n`;
    const [error] = await catalogErrors(yaml, { hints: true });
    return error.replace(/; known types: .*/, "").replace(/.* \| /, "");
  };
  assert.equal(
    await hint("kedro.extras.datasets.pandas.CSVDataSet"),
    "Kedro 0.19 renamed it: write type: pandas.CSVDataset",
  );
  assert.equal(
    await hint("pandas.ParquetDataSet", true),
    "Kedro 0.19 renamed it: write type: pandas.ParquetDataset",
  );
  assert.equal(
    await hint("kedro.io.MemoryDataSet"),
    "Kedro 0.19 renamed it: write type: kedro.io.MemoryDataset",
  );
  assert.equal(
    await hint("matplotlib.MatplotlibWriter"),
    "kedro-datasets renamed it: write type: matplotlib.MatplotlibDataset",
  );
  // A type kmlf lacks keeps its own hint, whatever its spelling.
  assert.match(
    await hint("kedro.extras.datasets.tracking.MetricsDataSet"),
    /^kmlf tracks metrics with MLflow/,
  );
  assert.match(await hint("pandas.CSVDatset"), /did you mean "pandas.CSVDataset"\?/);
});

Deno.test("partitioned: an unknown, unsupported or missing argument of the dataset names dataset.<key> at its line", async () => {
  assert.deepEqual(
    await catalogErrors("p:\n  type: partitioned\n  path: p\n  dataset:\n    type: json\n    bogus: 1\n"),
    [`catalog/bad-argument Unknown key "p.dataset.bogus" in dataset "p" (json) @ ${
      at("6:12", "p.dataset.bogus")
    }`],
  );
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset:\n    type: pandas.CSVDataset\n    load_args:\n      index_col: 0\n",
    ),
    [
      `catalog/unsupported-argument "p.dataset.load_args.index_col" is not supported by kmlf's ` +
      `pandas.CSVDataset @ ${at("7:18", "p.dataset.load_args.index_col")}`,
    ],
  );
});

Deno.test("partitioned, incremental: a dataset type that takes no file is refused at its type, with the way out", async () => {
  const needsFile = (type: string) =>
    `catalog/partition-needs-file The partitions of "p" cannot be ${type} datasets: ${type} takes no ` +
    "filepath, and a partitioned dataset gives each partition's file to its dataset as filepath (Kedro's " +
    "filepath_arg default)";
  const useFile = (key: string) =>
    `use a file dataset type (json, csv, parquet, text, pickle, …) for ${key}, or your own class, naming ` +
    "its file option in filepath_arg";
  // Not "Unknown key p.dataset.filepath" at p.path: the user never wrote that key.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset:\n    type: pandas.SQLTableDataset\n" +
        "    credentials: {con: sqlite:///x.db}\n",
      { hints: true },
    ),
    [`${needsFile("pandas.SQLTableDataset")} @ ${at("5:11", "p.dataset.type")} | ${useFile("dataset.type")}`],
  );
  assert.deepEqual(
    await catalogErrors("p:\n  type: incremental\n  path: p\n  data_set: MemoryDataset\n", { hints: true }),
    [`${needsFile("MemoryDataset")} @ ${at("4:13", "p.data_set")} | ${useFile("data_set")}`],
  );
  // filepath_arg naming a key the type does not take: the hint names the one it does.
  assert.deepEqual(
    await catalogErrors("p:\n  type: partitioned\n  path: p\n  dataset: json\n  filepath_arg: path\n", {
      hints: true,
    }),
    [
      `catalog/partition-needs-file The partitions of "p" cannot be json datasets: json takes no path, and a ` +
      `partitioned dataset gives each partition's file to its dataset as path (its filepath_arg) @ ${
        at("4:12", "p.dataset")
      } | json takes its file as filepath: set filepath_arg: filepath`,
    ],
  );
  // The key filepath_arg names is the partition's: the dataset must not set it.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  filepath_arg: location\n  dataset:\n" +
        "    type: ./src/mine.ts#Mine\n    location: x.json\n",
    ),
    [`catalog/bad-argument The dataset of "p" must not set location @ ${at("7:15", "p.dataset.location")}`],
  );
  // The entry's credentials reach the partitions' dataset: their errors are at the entry's key.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset: pandas.SQLQueryDataset\n  credentials: {con: 1}\n",
    ),
    [
      `catalog/bad-argument Invalid value for "p.credentials.con" in dataset "p" (pandas.SQLQueryDataset): ` +
      `expected a string, got the number 1 @ ${at("5:22", "p.credentials.con")}`,
    ],
  );
});

Deno.test("partitioned: a bad load_args or save_args value of the dataset is reported at that value", async () => {
  for (const group of ["load_args", "save_args"]) {
    assert.deepEqual(
      await catalogErrors(
        `p:\n  type: partitioned\n  path: p\n  dataset:\n    type: pandas.CSVDataset\n    ${group}:\n      sep: 3\n`,
      ),
      [
        `catalog/bad-argument Invalid value for "p.dataset.${group}.sep" in dataset "p" (pandas.CSVDataset): ` +
        `expected a string, got the number 3 @ ${at("7:12", `p.dataset.${group}.sep`)}`,
      ],
    );
  }
});

Deno.test("partitioned: dataset.filepath, data_set, a pattern entry and the partition file's own problems point where written", async () => {
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset:\n    type: json\n    filepath: x.json\n",
    ),
    [`catalog/bad-argument The dataset of "p" must not set filepath @ ${at("6:15", "p.dataset.filepath")}`],
  );
  // Kedro's older key: named as written.
  assert.deepEqual(
    await catalogErrors("p:\n  type: partitioned\n  path: p\n  data_set:\n    type: json\n    bogus: 1\n"),
    [`catalog/bad-argument Unknown key "p.data_set.bogus" in dataset "p" (json) @ ${
      at("6:12", "p.data_set.bogus")
    }`],
  );
  assert.deepEqual(
    await catalogErrors("p:\n  type: partitioned\n  path: p\n  data_set: jsn\n"),
    [`catalog/unknown-type Unknown dataset type "jsn" for "p" @ ${at("4:13", "p.data_set")}`],
  );
  // A credentials name of the partitions' dataset, at that key.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset:\n    type: json\n    credentials: nope\n",
    ),
    [
      `catalog/unknown-credentials Unable to find credentials "nope" used by catalog entry "p" @ ` +
      at("6:18", "p.dataset.credentials"),
    ],
  );
  // The partition's filepath is the folder's `path`: a query dataset given sql cannot also take it.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: partitioned\n  path: p\n  dataset:\n    type: pandas.SQLQueryDataset\n    sql: SELECT 1\n" +
        "    credentials: {con: sqlite:///x.db}\n",
    ),
    [`catalog/bad-argument Catalog entry "p" needs only one of sql and filepath @ ${at("3:9", "p.path")}`],
  );
  // A factory pattern's entry is built when a name matches it.
  const catalog = await Catalog.fromConfig(
    catalogConfig(
      '"{name}_parts":\n  type: partitioned\n  path: data/{name}\n  dataset:\n    type: json\n    bogus: 1\n',
    ),
    { projectRoot: "/tmp/kmlf-nested-none" },
  );
  await assert.rejects(() => catalog.load("x_parts"), (error) => {
    assert.deepEqual(described(error), [
      `catalog/bad-argument Unknown key "{name}_parts.dataset.bogus" in dataset "x_parts" (json) @ ` +
      at("6:12", "{name}_parts.dataset.bogus"),
    ]);
    return true;
  });
});

Deno.test("partitioned: a partition whose dataset fails to build when loaded or saved is located at dataset:", async () => {
  await inTempDir(async (root) => {
    // A project class refusing some files: the catalog builds it once at creation (fine), then per partition.
    await Deno.mkdir(join(root, "src"));
    await Deno.writeTextFile(
      join(root, "src/picky.ts"),
      `export class Picky {
  constructor(readonly o: { filepath: string }) {
    if (o.filepath.includes("bad")) throw new Error("no bad files");
  }
  async load() { return 1; }
  async save(_data: unknown) {}
  async exists() { return false; }
  describe() { return {}; }
}
`,
    );
    await Deno.mkdir(join(root, "data/p"), { recursive: true });
    await Deno.writeTextFile(join(root, "data/p/bad.txt"), "");
    const catalog = await Catalog.fromConfig(
      catalogConfig("p:\n  type: partitioned\n  path: data/p\n  dataset:\n    type: ./src/picky.ts#Picky\n"),
      { projectRoot: root },
    );
    const failure = [
      `catalog/create-failed Cannot create dataset "p/bad.txt" (Picky): no bad files @ ${
        at("5:5", "p.dataset")
      }`,
    ];
    const parts = await catalog.load("p") as Record<string, () => Promise<unknown>>;
    await assert.rejects(() => parts["bad.txt"](), (error) => {
      assert.deepEqual(described(error), failure);
      return true;
    });
    await assert.rejects(() => catalog.save("p", { bad2: 1 }), (error) => {
      assert.deepEqual(described(error), [
        `catalog/create-failed Cannot save dataset "p" (PartitionedDataset): partition "bad2": Cannot create dataset "p/bad2" ` +
        `(Picky): no bad files @ ${at("5:5", "p.dataset")}`,
      ]);
      return true;
    });
  });
});

Deno.test("incremental: its dataset's and its checkpoint's errors name their key at their line", async () => {
  assert.deepEqual(
    await catalogErrors("p:\n  type: incremental\n  path: p\n  dataset:\n    type: json\n    bogus: 1\n"),
    [`catalog/bad-argument Unknown key "p.dataset.bogus" in dataset "p" (json) @ ${
      at("6:12", "p.dataset.bogus")
    }`],
  );
  assert.deepEqual(await catalogErrors("p:\n  type: incremental\n  path: p\n  dataset: jsn\n"), [
    `catalog/unknown-type Unknown dataset type "jsn" for "p" @ ${at("4:12", "p.dataset")}`,
  ]);
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: incremental\n  path: p\n  dataset: json\n  checkpoint:\n    load_args:\n      encodng: utf-8\n",
    ),
    [
      `catalog/bad-argument Unknown key "p.checkpoint.load_args.encodng" in dataset "p/checkpoint" (text) @ ` +
      at("7:16", "p.checkpoint.load_args.encodng"),
    ],
  );
});

Deno.test("a URL a dataset class refuses is located at its key: a checkpoint's filepath, a partitioned path", async () => {
  const refused = (url: string, key: string) =>
    `catalog/remote-filepath Cannot use ${key} "${url}": kmlf's datasets read and write local files, not s3:// URLs`;
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: incremental\n  path: p\n  dataset: json\n  checkpoint:\n    filepath: s3://b/cp\n",
    ),
    [`${refused("s3://b/cp", "filepath")} @ ${at("6:15", "p.checkpoint.filepath")}`],
  );
  assert.deepEqual(
    await catalogErrors("p:\n  type: incremental\n  path: s3://b/parts\n  dataset: json\n"),
    [`${refused("s3://b/parts", "path")} @ ${at("3:9", "p.path")}`],
  );
  assert.deepEqual(
    await catalogErrors("p:\n  type: csv\n  filepath: s3://b/x.csv\n"),
    [`${refused("s3://b/x.csv", "filepath")} @ ${at("3:13", "p.filepath")}`],
  );
});

Deno.test("incremental: a checkpoint type that takes no filepath is refused at its type, not at path", async () => {
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: incremental\n  path: p\n  dataset: json\n  checkpoint:\n    type: memory\n",
      {
        hints: true,
      },
    ),
    [
      `catalog/bad-checkpoint The checkpoint of "p" cannot be a memory dataset: memory takes no filepath, and the ` +
      `checkpoint is kept in the file <path>/CHECKPOINT @ ${
        at("6:11", "p.checkpoint.type")
      } | use a file type ` +
      "(text, Kedro's default, or json, yaml, …), or remove checkpoint.type",
    ],
  );
  // A filepath the user wrote is the type's to judge, at that key.
  assert.deepEqual(
    await catalogErrors(
      "p:\n  type: incremental\n  path: p\n  dataset: json\n  checkpoint:\n    type: memory\n    filepath: cp\n",
    ),
    [
      `catalog/bad-argument Unknown key "p.checkpoint.filepath" in dataset "p/checkpoint" (memory) @ ` +
      at("7:15", "p.checkpoint.filepath"),
    ],
  );
});

Deno.test("kmlf catalog validate: a nested dataset's error in conf/local names the local file, line and key", async () => {
  const base =
    "parts:\n  type: partitioned\n  path: data/parts\n  dataset:\n    type: pandas.CSVDataset\n    load_args: {sep: ','}\n";
  const dir = await demoProject({
    "conf/base/catalog.yml": base,
    "conf/local/catalog.yml":
      "# a local override\nparts:\n  type: partitioned\n  path: data/parts\n  dataset:\n    type: pandas.CSVDataset\n" +
      "    load_args:\n      sep: 3\n    bogus: 1\n",
  });
  try {
    const { code, stderr } = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /Unknown key "parts\.dataset\.bogus"[^\n]*\n {2}at conf\/local\/catalog\.yml:9:5 \(parts\.dataset\.bogus\)/,
    );
    assert.match(
      stderr,
      /Invalid value for "parts\.dataset\.load_args\.sep"[^\n]*\n {2}at conf\/local\/catalog\.yml:8:12 \(parts\.dataset\.load_args\.sep\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf run: partitions of a type without a file fail before any node, at the type in the file that wrote it", async () => {
  const dir = await demoProject({
    // The training pipeline's first input.
    "conf/local/catalog.yml": "# a local override\niris:\n  type: partitioned\n  path: data/parts\n" +
      "  dataset: pandas.SQLTableDataset\n",
  });
  try {
    const { code, stderr } = await kmlf(["run"], { cwd: dir });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /error\[catalog\/partition-needs-file\]: The partitions of "iris" cannot be pandas\.SQLTableDataset datasets[^\n]*\n {2}at conf\/local\/catalog\.yml:5:12 \(iris\.dataset\)\n {2}hint: use a file dataset type/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf catalog validate: credentials set twice are a warning at the key; the entry counts as valid", async () => {
  const dir = await demoProject({
    "conf/base/catalog.yml": "other: {type: json, filepath: data/o.json}\n" +
      "parts:\n  type: partitioned\n  path: data/parts\n  filepath_arg: path\n  credentials: {token: a}\n" +
      "  dataset:\n    type: incremental\n    dataset: text\n" +
      "    credentials: {token: b}\n    checkpoint: {credentials: {token: c}}\n",
  });
  try {
    const { code, stdout, stderr } = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /2 catalog entries valid/);
    // The partitioned entry's own, and its nested incremental dataset's, named and located as written.
    assert.equal(stderr.match(/^warning\[catalog\/credentials-not-propagated\]/gm)?.length, 2, stderr);
    assert.match(
      stderr,
      /config \(dataset\.credentials\)\n {2}at conf\/base\/catalog\.yml:6:3 \(parts\.credentials\)/,
    );
    assert.match(
      stderr,
      /config \(dataset\.checkpoint\.credentials\)\n {2}at conf\/base\/catalog\.yml:10:5 \(parts\.dataset\.credentials\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
