/**
 * `kmlf catalog validate` checks each dataset factory pattern as a name it matches would build it: a wrong
 * key or a wrong kind of value (in load_args, in a partitioned or incremental `dataset:` or `checkpoint:`) is
 * reported where the pattern is written, without a dataset name; values with placeholders are not judged.
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog, type CatalogOptions, MemoryDataset } from "../../lib/catalog/mod.ts";
import { formatLocation, KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";

const checked = (yaml: string, options: Partial<CatalogOptions> = {}) =>
  Catalog.fromConfig(catalogConfig(yaml), {
    projectRoot: "/tmp/kmlf-patterns-none",
    checkPatterns: true,
    ...options,
  });

// Each error as `code message @ line:column (key path)`.
async function problems(yaml: string): Promise<string[]> {
  try {
    await checked(yaml);
  } catch (error) {
    const errors = error instanceof KmlfAggregateError ? error.errors : [error];
    return errors.map((e) =>
      e instanceof KmlfError
        ? `${e.code} ${e.message} @ ${formatLocation(e.source).replace(`${CATALOG_FILE}:`, "")}`
        : String(e)
    );
  }
  throw new Error("the catalog was built");
}

const BAD = `"{name}_parts":
  type: partitioned
  path: data/{name}
  dataset:
    type: pandas.CSVDataset
    load_args: {sepp: ","}
"{name}_inc":
  type: incremental
  path: data/{name}
  dataset: json
  checkpoint: {bogus: 1}
"{name}_csv": {type: csv, filepath: "data/{name}.csv", load_args: 3}
"{name}_pq": {type: parquet, filepath: "data/{name}.pq", partition_on: [a]}
"model_{n}": {type: pickle, filepath: "data/{n:03d}.pkl"}
`;

Deno.test("validate: a pattern's wrong nested, checkpoint, load_args or type-specific key is located at the pattern", async () => {
  assert.deepEqual(await problems(BAD), [
    'catalog/bad-argument Unknown key "{name}_parts.dataset.load_args.sepp" in dataset "{name}_parts" ' +
    "(pandas.CSVDataset) @ 6:23 ({name}_parts.dataset.load_args.sepp)",
    'catalog/bad-argument Unknown key "{name}_inc.checkpoint.bogus" in dataset "{name}_inc/checkpoint" ' +
    "(text) @ 11:23 ({name}_inc.checkpoint.bogus)",
    'catalog/bad-argument Invalid value for "{name}_csv.load_args" in dataset "{name}_csv" (csv): expected a ' +
    "mapping, got the number 3 @ 12:67 ({name}_csv.load_args)",
    'catalog/bad-argument Unknown key "{name}_pq.partition_on" in dataset "{name}_pq" (parquet) @ 13:72 ' +
    "({name}_pq.partition_on)",
    // Python: "Unknown format code 'd' for object of type 'str'", whatever name `model_{n}` matched.
    'catalog/bad-pattern Cannot fill "data/{n:03d}.pkl" from the pattern "model_{n}": Unknown format code ' +
    "'d' for object of type 'str' (whatever name matches, {n} is text) @ 14:14 (model_{n})",
  ]);
});

// Kedro's documented patterns, and values only a matched name fills: none is refused, none warns.
const VALID = `"{namespace}.{name}_csv":
  type: pandas.CSVDataset
  filepath: data/{namespace}/{name}.csv
  load_args: {sep: "{namespace}"}
"{layer}-{name}": {type: json, filepath: "data/{layer}/{name}.json", versioned: true}
"model_{n:d}": {type: pickle, filepath: "data/{n:03d}.pkl"}
"{name}@spark": {type: parquet, filepath: "{name}"}
"{name}_parts":
  type: partitioned
  path: "{name}"
  filename_suffix: ".{name}"
  dataset: {type: text}
  credentials: "{name}_creds"
"{name}_inc":
  type: incremental
  path: data/{name}
  dataset: json
  checkpoint: {comparison_func: "{name}", force_checkpoint: "{name}"}
"{kind}_any": {type: "{kind}", filepath: data/x, whatever: 1}
"{name}_url": {type: text, filepath: "{name}"}
"{default}": {type: memory}
`;

Deno.test("validate: Kedro's own patterns and values with placeholders are not refused", async () => {
  const catalog = await checked(VALID);
  assert.deepEqual(catalog.warnings, []);
  assert.equal(catalog.listPatterns().length, 9);
  // The stand-ins were only checked: a name builds from the pattern as ever.
  assert.deepEqual(catalog.resolveConfig("model_7"), { type: "pickle", filepath: "data/007.pkl" });
});

Deno.test("validate --pipeline: a bad pattern no used name matches is a warning; without checkPatterns, not built", async () => {
  const catalog = await checked(BAD, { used: ["cars_csv_x"] });
  assert.deepEqual(catalog.warnings.map((w) => [w.name, w.problems.length, w.note]), [
    ["model_{n}", 1, undefined],
    ["{name}_csv", 1, undefined],
    ["{name}_inc", 1, undefined],
    ["{name}_parts", 1, undefined],
    ["{name}_pq", 1, undefined],
  ]);
  await assert.rejects(checked(BAD, { used: ["cars_csv"] }), /\{name\}_csv\.load_args/);
  // A run builds what it uses, as Kedro does: the patterns' arguments wait for a name.
  const run = await Catalog.fromConfig(catalogConfig(BAD), { projectRoot: "/tmp/kmlf-patterns-none" });
  assert.equal(run.listPatterns().length, 5);
});

Deno.test("validate: a pattern's note (credentials set twice) is a warning at the pattern", async () => {
  const catalog = await checked(
    '"{name}_parts":\n  type: partitioned\n  path: data/{name}\n  credentials: {token: a}\n' +
      "  dataset: {type: text, credentials: {token: b}}\n",
  );
  assert.deepEqual(
    catalog.warnings.map((w) => [w.name, w.note, w.problems.map((p) => [p.code, p.source?.line])]),
    [["{name}_parts", "built and used as is", [["catalog/credentials-not-propagated", 4]]]],
  );
});

Deno.test("kmlf catalog validate: a pattern's bad nested key fails it at file:line:col, with no dataset named", async () => {
  const dir = await demoProject({
    "conf/local/catalog.yml":
      '# a local override\n"{name}_parts":\n  type: partitioned\n  path: data/{name}\n' +
      "  dataset:\n    type: json\n    save_args: {indnt: 2}\n",
  });
  try {
    const { code, stderr } = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /Unknown key "\{name\}_parts\.dataset\.save_args\.indnt"[^\n]*\n {2}at conf\/local\/catalog\.yml:7:17 \(\{name\}_parts\.dataset\.save_args\.indnt\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Keys that must not be there (or not together) fail whatever the value: located at the key, they are
// reported although the value has a placeholder.
const KEYED =
  `"{name}_q": {type: pandas.SQLQueryDataset, sql: select 1, filepath: "sql/{name}.sql", credentials: {con: "sqlite:///d.db"}}
"{name}_parts":
  type: partitions.PartitionedDataset
  path: data/{name}
  dataset: {type: pandas.CSVDataset, filepath: "data/{name}.csv"}
"{name}_inc": {type: incremental, path: "data/{name}", dataset: json, checkpoint: {versioned: "{name}"}}
`;

Deno.test("validate: a key that must not be given is reported although its value has a placeholder", async () => {
  // (catalogConfig locates values only: the CLI test below shows the keys' own columns.)
  assert.deepEqual(await problems(KEYED), [
    'catalog/bad-argument Catalog entry "{name}_q" needs only one of sql and filepath @ 1:69 ({name}_q.filepath)',
    'catalog/bad-argument The dataset of "{name}_parts" must not set filepath @ 5:48 ({name}_parts.dataset.filepath)',
    'catalog/bad-checkpoint The checkpoint of "{name}_inc" cannot be versioned @ 6:95 ({name}_inc.checkpoint.versioned)',
  ]);
});

Deno.test("kmlf catalog validate: model datasets' unknown flavor key and run_id with model_uri, in patterns", async () => {
  const dir = await demoProject({
    "conf/base/catalog_models.yml": '"{name}_model":\n  type: mlflow_model_tracking\n  flavor: js_value\n' +
      '  save_args: {registered_model_nam: "{name}"}\n"{name}_run":\n  type: mlflow_model_tracking\n' +
      '  flavor: js_value\n  run_id: "{name}"\n  load_args: {model_uri: "runs:/abc/model"}\n',
  });
  try {
    const { code, stderr } = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(code, 2, stderr);
    const at = [...stderr.matchAll(/^error\[([^\]]+)\][^\n]*\n {2}at (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(at, [
      "catalog/bad-argument conf/base/catalog_models.yml:4:15",
      "catalog/renamed-argument conf/base/catalog_models.yml:8:3",
    ], stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A plugin's type that reads its argument in the factory and throws a plain Error (no location): with a
// stand-in in it that says nothing of the names the pattern matches (`new URL("name")`).
function urlRegistry() {
  const registry = builtinRegistry();
  registry.register(["api.JSONDataset"], (args) => {
    new URL(String(args.url));
    return new MemoryDataset();
  });
  return registry;
}

Deno.test("validate: a pattern's Windows, ~ or s3:// path is refused although it has a placeholder, unless one starts it", async () => {
  const yaml = `"{name}_w": {type: csv, filepath: 'C:\\data\\{name}.csv'}
"{name}_s3": {type: csv, filepath: "s3://bucket/{name}.csv"}
"{name}_p": {type: partitioned, path: "~/parts/{name}", dataset: json}
"{d}_{name}_any": {type: csv, filepath: "{d}:/x/{name}.csv"}
`;
  assert.deepEqual(await problems(yaml), [
    'catalog/foreign-path Cannot use filepath "C:\\data\\name.csv": it is a Windows path (drive C:), and this ' +
    `machine runs ${Deno.build.os} @ 1:35 ({name}_w.filepath)`,
    'catalog/remote-filepath Cannot use filepath "s3://bucket/name.csv": kmlf\'s datasets read and write local ' +
    "files, not s3:// URLs @ 2:36 ({name}_s3.filepath)",
    'catalog/foreign-path Cannot use path "~/parts/name": ~ is not expanded in catalog paths (Kedro joins it to ' +
    "the project root: a folder named ~) @ 3:39 ({name}_p.path)",
  ]);
});

Deno.test("validate: what a plugin's factory throws without a location, given stand-ins, is not judged", async () => {
  const catalog = await checked('"{name}_api": {type: api.JSONDataset, url: "{name}"}\n', {
    registry: urlRegistry(),
  });
  assert.equal(catalog.listPatterns().length, 1);
  // With no placeholder in its values, the pattern builds as any name would: the throw is the pattern's.
  await assert.rejects(
    checked('"{name}_api": {type: api.JSONDataset, url: not a url}\n', { registry: urlRegistry() }),
    /Cannot create dataset "{name}_api" \(api.JSONDataset\): Invalid URL/,
  );
});

Deno.test("validate: a credentials name with a placeholder hides none of the pattern's other problems", async () => {
  const creds = '"{name}_t":\n  type: pandas.SQLTableDataset\n  table_name: "{name}"\n' +
    '  credentials: "{name}_creds"\n  save_args: {if_exist: replace}\n' +
    '"{name}_csv": {type: csv, filepath: "data/{name}.csv", credentials: "{name}_creds", load_args: {sepp: ","}}\n';
  assert.deepEqual((await problems(creds)).map((p) => p.replace(/ \(allowed here.*$/, "")), [
    'catalog/bad-argument Unknown key "{name}_t.save_args.if_exist" in dataset "{name}_t" ' +
    "(pandas.SQLTableDataset) @ 5:25 ({name}_t.save_args.if_exist)",
    'catalog/bad-argument Unknown key "{name}_csv.load_args.sepp" in dataset "{name}_csv" (csv) @ 6:103 ' +
    "({name}_csv.load_args.sepp)",
  ]);
  // Fixed, the block the name picks (which only a matched name tells) is not judged: no `con` missing.
  const catalog = await checked(creds.replace("if_exist", "if_exists").replace("sepp", "sep"));
  assert.equal(catalog.listPatterns().length, 2);
});
