/** Files a Kedro project hands over that kmlf cannot read say so, instead of loading as something else. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExcelDataset, PickleDataset } from "../../lib/catalog/mod.ts";
import type { DatasetError } from "../../lib/errors.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("a .xlsx that is not a workbook (a CSV, text) is dataset/bad-excel, not a one-sheet table", async () => {
  await inTempDir(async (root) => {
    for (
      const [name, content] of [["csv.xlsx", "a,b\n1,2\n"], [
        "html.xlsx",
        "<table><tr><td>1</td></tr></table>",
      ], ["empty.xlsx", ""]]
    ) {
      const filepath = join(root, name);
      await Deno.writeTextFile(filepath, content);
      await assert.rejects(
        () => new ExcelDataset({ filepath }).load(),
        (e: DatasetError) =>
          e.code === "dataset/bad-excel" && /is not an Excel workbook/.test(e.message) &&
          /CSVDataset/.test(e.hint!),
        name,
      );
    }
    // A real workbook still loads.
    const real = join(root, "real.xlsx");
    await new ExcelDataset({ filepath: real }).save([{ a: 1, b: "x" }]);
    assert.deepEqual(await new ExcelDataset({ filepath: real }).load(), [{ a: 1, b: "x" }]);
  });
});

Deno.test("a Python pickle file names its protocol and what to export instead", async () => {
  await inTempDir(async (root) => {
    const filepath = join(root, "model.pkl");
    // pickle.dumps({"a": 1}, protocol=4)
    await Deno.writeFile(
      filepath,
      new Uint8Array([
        0x80,
        4,
        0x95,
        10,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0x7d,
        0x94,
        0x8c,
        1,
        0x61,
        0x94,
        0x4b,
        1,
        0x73,
        0x2e,
      ]),
    );
    await assert.rejects(
      () => new PickleDataset({ filepath }).load(),
      (e: DatasetError) => e.code === "dataset/bad-pickle" && /Python pickle \(protocol 4\)/.test(e.hint!),
    );
    await Deno.writeTextFile(filepath, "not a pickle");
    await assert.rejects(
      () => new PickleDataset({ filepath }).load(),
      (e: DatasetError) =>
        e.code === "dataset/bad-pickle" && /not written by a kmlf pickle dataset/.test(e.hint!),
    );
  });
});
