/** Arguments of kedro-datasets' non-pandas types in a catalog copied from Kedro: hints, or accepted as written. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("Kedro arguments kmlf does not take are unsupported-argument errors with a hint, each at its key", async () => {
  const yaml = [
    "t: {type: text.TextDataset, filepath: t.txt, fs_args: {open_args_load: {encoding: utf-8}}}",
    "c: {type: pandas.CSVDataset, filepath: c.csv, fs_args: {auto_mkdir: true}}",
    "p: {type: pickle.PickleDataset, filepath: p.pkl, backend: joblib, save_args: {protocol: 4}}",
    "j: {type: json.JSONDataset, filepath: j.json, save_args: {indent: 2, allow_nan: true}}",
    "y: {type: yaml.YAMLDataset, filepath: y.yml, save_args: {explicit_start: true}}",
    "parts: {type: partitions.PartitionedDataset, path: parts, dataset: pandas.CSVDataset, load_args: {maxdepth: 1, withdirs: true}}",
    "wrapped: {type: partitions.PartitionedDataset, path: w, dataset: {type: pickle, backend: pickle}}",
    // Kedro 0.18's `layer`, on every built-in type.
    "l_csv: {type: pandas.CSVDataset, filepath: l.csv, layer: raw}",
    "l_mem: {type: MemoryDataset, layer: intermediate}",
    "l_img: {type: matplotlib.MatplotlibDataset, filepath: l.png, layer: reporting, fs_args: {}}",
    "l_sql: {type: sqlite_query, filepath: l.db, sql: select 1, layer: raw}",
    "l_parts: {type: partitions.PartitionedDataset, path: lp, dataset: csv, layer: raw}",
  ].join("\n") + "\n";
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError, String(e));
      const byKey = Object.fromEntries(e.errors.map((x) => [x.source?.keyPath, x]));
      assert.deepEqual(Object.keys(byKey).sort(), [
        "c.fs_args",
        "j.save_args.allow_nan",
        "l_csv.layer",
        "l_img.fs_args",
        "l_img.layer",
        "l_mem.layer",
        "l_parts.layer",
        "l_sql.layer",
        "p.backend",
        "p.save_args.protocol",
        "parts.load_args.withdirs",
        "t.fs_args",
        "wrapped.dataset.backend",
        "y.save_args.explicit_start",
      ]);
      for (const [key, error] of Object.entries(byKey)) {
        assert.ok(error instanceof DatasetError, key);
        assert.equal(error.code, "catalog/unsupported-argument", `${key}: ${error.message}`);
        assert.match(error.hint!, /remove it|instead/, key);
      }
      assert.match(byKey["t.fs_args"].hint!, /without fsspec/);
      assert.match(byKey["p.backend"].hint!, /V8's serialization/);
      // The partitions' dataset's key, named and located as written (it was "wrapped.backend", at the entry).
      assert.match(byKey["wrapped.dataset.backend"].message, /"wrapped\.dataset\.backend"/);
      assert.match(byKey["l_mem.layer"].hint!, /metadata: \{kedro-viz: \{layer: <the layer>\}\}/);
      return true;
    },
  );
});

Deno.test("json.dump's and yaml.dump's layout keywords are taken as Kedro writes them", async () => {
  await inTempDir(async (root) => {
    const yaml =
      "j: {type: json.JSONDataset, filepath: j.json, save_args: {indent: 2, ensure_ascii: false}}\n" +
      "k: {type: json.JSONDataset, filepath: k.json, save_args: {indent: null, sort_keys: true}}\n" +
      "y: {type: yaml.YAMLDataset, filepath: y.yml, save_args: {default_flow_style: False}}\n" +
      "z: {type: yaml.YAMLDataset, filepath: z.yml, save_args: {allow_unicode: true, sort_keys: false}}\n";
    const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    await c.save("j", { name: "Zürich" });
    await c.save("k", { name: "Zürich", a: [1, 2] });
    await c.save("y", { b: "Zürich", a: [1, 2] });
    await c.save("z", { b: "Zürich", a: [1, 2] });
    assert.equal(await Deno.readTextFile(join(root, "j.json")), '{\n  "name": "Zürich"\n}');
    assert.equal(await Deno.readTextFile(join(root, "k.json")), '{"a": [1, 2], "name": "Z\\u00fcrich"}');
    assert.equal(await Deno.readTextFile(join(root, "y.yml")), 'a:\n- 1\n- 2\nb: "Z\\xFCrich"\n');
    assert.equal(await Deno.readTextFile(join(root, "z.yml")), "b: Zürich\na:\n- 1\n- 2\n");
    await assert.rejects(
      () =>
        Catalog.fromConfig(
          catalogConfig("j: {type: json, filepath: j.json, save_args: {separators: [',']}}\n"),
          { projectRoot: root },
        ),
      (e: DatasetError) => e.code === "catalog/bad-argument" && /separators/.test(e.message),
    );
  });
});

Deno.test("parquet compression takes pyarrow's names in any case, and YAML's None as no compression", async () => {
  await inTempDir(async (root) => {
    const yaml = "a: {type: pandas.ParquetDataset, filepath: a.parquet, save_args: {compression: GZIP}}\n" +
      "b: {type: pandas.ParquetDataset, filepath: b.parquet, save_args: {compression: None}}\n" +
      "c: {type: pandas.ParquetDataset, filepath: c.parquet, save_args: {compression: Snappy}}\n";
    const c = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root });
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, text: "the same words again" }));
    for (const name of ["a", "b", "c"]) {
      await c.save(name, rows);
      assert.deepEqual(await c.load(name), rows);
    }
    const size = (f: string) => Deno.statSync(join(root, f)).size;
    assert.ok(size("a.parquet") < size("b.parquet"), "gzip compresses, None does not");
    await assert.rejects(
      () =>
        Catalog.fromConfig(
          catalogConfig("d: {type: parquet, filepath: d.parquet, save_args: {compression: lzo}}\n"),
          { projectRoot: root },
        ),
      (e: DatasetError) => e.code === "catalog/bad-argument" && /"gzip"/.test(e.hint!),
    );
  });
});

Deno.test("a misspelt metadata key gets a did-you-mean like the type's own arguments", async () => {
  await assert.rejects(
    () =>
      Catalog.fromConfig(catalogConfig("a: {type: csv, filepath: a.csv, metdata: {owner: me}}\n"), {
        projectRoot: "/p",
      }),
    (e: DatasetError) =>
      e.code === "catalog/bad-argument" && /did you mean "metadata"\?/.test(e.hint!) &&
      /metadata\)$/.test(e.hint!),
  );
});
