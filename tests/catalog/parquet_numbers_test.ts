/**
 * Numbers in Parquet as pyarrow stores the same pandas columns: an integer column is INT64 (a JavaScript
 * -0 in it is the integer 0, as numpy's int64 has no -0), missing integers are INT64 nulls (pandas reads
 * the column as float64 with NaN, as it reads its own int column with missing values), and a float column
 * keeps -0.0 and NaN.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { ParquetDataset } from "../../lib/catalog/mod.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("Parquet stores -0, missing integers and NaN as pyarrow stores pandas' columns", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "n.parquet");
    const ds = new ParquetDataset({ filepath: file });
    await ds.save([{ i: -0, n: 1, f: 1.5, x: NaN }, { i: 2, n: null, f: -0, x: 1 }]);
    const types = Object.fromEntries(
      parquetMetadata(await Deno.readFile(file)).schema.slice(1).map((
        e,
      ) => [e.name, [e.type, e.repetition_type]]),
    );
    assert.deepEqual(types, {
      i: ["INT64", "OPTIONAL"],
      n: ["INT64", "OPTIONAL"],
      f: ["DOUBLE", "OPTIONAL"],
      x: ["DOUBLE", "OPTIONAL"],
    });
    const rows = await ds.load();
    assert.ok(Object.is(rows[0].i, 0), "an integer column has no -0");
    assert.equal(rows[1].n, null);
    assert.ok(Object.is(rows[1].f, -0), "a float column keeps -0.0");
    assert.ok(Number.isNaN(rows[0].x));
  });
});

Deno.test("a float column whose values are whole stays float64 when the file is saved again", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "w.parquet");
    const ds = new ParquetDataset({ filepath: file, saveArgs: { schema: { price: "float64" } } });
    await ds.save([{ price: 1 }, { price: 2 }]);
    const again = new ParquetDataset({ filepath: file });
    await again.save(await again.load());
    const price = parquetMetadata(await Deno.readFile(file)).schema.find((e) => e.name === "price");
    assert.equal(price?.type, "DOUBLE");
  });
});
