/**
 * Tables past the size where spreading rows into a call (`Math.max(...rows)`) overflows V8's stack
 * (~125,000): they load whole, as pandas reads them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset } from "../../lib/catalog/mod.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("a CSV of 200,000 rows loads (it threw 'Maximum call stack size exceeded')", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "big.csv");
    const n = 200_000;
    const lines = ["id,name"];
    for (let i = 0; i < n; i++) lines.push(`${i},n${i % 10}`);
    await Deno.writeTextFile(filepath, lines.join("\n") + "\n");
    const rows = await new CsvDataset({ filepath }).load() as Record<string, unknown>[];
    assert.equal(rows.length, n);
    assert.deepEqual(rows.at(-1), { id: n - 1, name: "n9" });
  });
});
