/** Remote filepaths copied from a Kedro catalog (s3://, gcs://, …) are refused, never written as local folders. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinRegistry, Catalog, type JsonDataset } from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

// Every built-in type that keeps its data in a local file or folder, with the key holding the path.
const FILE_ENTRIES: Record<string, string> = {
  csv: "{type: pandas.CSVDataset, filepath: URL/x.csv}",
  json: "{type: json.JSONDataset, filepath: URL/x.json}",
  yaml: "{type: yaml, filepath: URL/x.yml}",
  text: "{type: text, filepath: URL/x.txt}",
  excel: "{type: pandas.ExcelDataset, filepath: URL/x.xlsx}",
  parquet: "{type: pandas.ParquetDataset, filepath: URL/x.parquet}",
  binary: "{type: binary, filepath: URL/x.bin}",
  pickle: "{type: pickle.PickleDataset, filepath: URL/x.pkl, versioned: true}",
  plotly_json: "{type: plotly.JSONDataset, filepath: URL/x.json}",
  image: "{type: image, filepath: URL/x.svg}",
  partitioned: "{type: partitions.PartitionedDataset, path: URL/parts, dataset: pandas.CSVDataset}",
  sqlite_table: "{type: sqlite_table, filepath: URL/x.db, table_name: t}",
  sqlite_query: "{type: sqlite_query, filepath: URL/x.db, sql: select 1}",
};

for (const scheme of ["s3", "gcs", "abfs", "https"]) {
  Deno.test(`every built-in file type refuses a ${scheme}:// path with catalog/remote-filepath, at that path`, async () => {
    const yaml = Object.entries(FILE_ENTRIES)
      .map(([name, entry]) => `${name}: ${entry.replace("URL", `${scheme}://bucket/dir`)}\n`).join("");
    await assert.rejects(
      () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
      (e: KmlfAggregateError) => {
        assert.ok(e instanceof KmlfAggregateError, String(e));
        const byEntry = Object.fromEntries(e.errors.map((x) => [x.source?.keyPath?.split(".")[0], x]));
        assert.deepEqual(Object.keys(byEntry).sort(), Object.keys(FILE_ENTRIES).sort());
        const names = Object.keys(FILE_ENTRIES);
        for (const [name, error] of Object.entries(byEntry)) {
          assert.ok(error instanceof DatasetError, name);
          assert.equal(error.code, "catalog/remote-filepath", `${name}: ${error.message}`);
          // At the value of the key that holds the URL, not at the entry.
          const key = name === "partitioned" ? "path" : "filepath";
          const line = names.indexOf(name) + 1;
          const column = FILE_ENTRIES[name].indexOf(`${key}: URL`) + name.length + 2 + key.length + 3;
          assert.deepEqual(error.source, { file: CATALOG_FILE, line, column, keyPath: `${name}.${key}` });
          assert.match(error.message, new RegExp(`"${scheme}://bucket/dir/`));
          assert.match(error.message, new RegExp(`not ${scheme}:// URLs`));
          assert.match(error.hint!, /local path/);
        }
        return true;
      },
    );
  });
}

Deno.test("a remote path inside a wrapper's dataset or behind a factory pattern is refused too", async () => {
  const yaml = '"{name}_raw": {type: csv, filepath: "s3://bucket/{name}.csv"}\n';
  const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  await assert.rejects(
    () => c.load("shuttles_raw"),
    (e: DatasetError) =>
      e.code === "catalog/remote-filepath" && /s3:\/\/bucket\/shuttles\.csv/.test(e.message),
  );
});

Deno.test("a file:// URL is a local path; a saved dataset lands there and nowhere else", async () => {
  await inTempDir(async (root) => {
    const target = join(root, "out", "x.json");
    const yaml = `x: {type: json, filepath: "file://${target}"}\n`;
    const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await c.save("x", { a: 1 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(target)), { a: 1 });
    assert.equal((await c.get("x") as JsonDataset).filepath, target);
    const entries = [...Deno.readDirSync(root)].map((e) => e.name);
    assert.deepEqual(entries, ["out"]);
  });
});

Deno.test("a project's own dataset type still receives URLs as written (it may fetch them itself)", async () => {
  const seen: Record<string, unknown>[] = [];
  const registry = builtinRegistry();
  registry.register(["s3_probe"], (args) => {
    seen.push(args);
    return { load: () => args, save() {}, exists: () => true, describe: () => ({}) };
  });
  await Catalog.fromConfig(catalogConfig("x: {type: s3_probe, filepath: 's3://bucket/k.csv'}\n"), {
    projectRoot: "/p",
    registry,
  });
  assert.deepEqual(seen, [{ filepath: "s3://bucket/k.csv" }]);
});

Deno.test("a file:// filepath is read as Kedro reads it: %20, # and ? are letters of the name", async () => {
  await inTempDir(async (root) => {
    const target = join(root, "a b#1", "x%20y?.json");
    const yaml = `x: {type: json, filepath: "file://${target}"}\n`;
    const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await c.save("x", { a: 1 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(target)), { a: 1 });
    assert.equal((await c.get("x") as JsonDataset).filepath, target);
  });
});

Deno.test("a file:// filepath naming a host (file://data/x.csv) is refused, located, with the path to write", async () => {
  await inTempDir(async (root) => {
    const yaml = `x: {type: json, filepath: "file://data/x.json"}\n`;
    await assert.rejects(
      async () => (await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root })).get("x"),
      (e: DatasetError) => {
        assert.equal(e.code, "catalog/bad-file-url");
        assert.match(e.message, /"data" would be taken for one/);
        assert.match(e.hint ?? "", /\(data\/x\.json\)/);
        return true;
      },
    );
  });
});
