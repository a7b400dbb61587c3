/**
 * Tables past the size where spreading rows into a call (`Math.max(...rows)`) overflows V8's stack
 * (~125,000): they load whole, as pandas reads them. A text file too big for one JavaScript string is
 * refused by name, not called "not valid utf-8 text", and without reading it first.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset, JsonDataset, TextDataset, YamlDataset } from "../../lib/catalog/mod.ts";
import type { DatasetError } from "../../lib/errors.ts";
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

Deno.test("a text file too big for a JavaScript string is refused before it is read, with what to do instead", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "huge.csv");
    // Sparse: 2.5 GiB long, no disk blocks; a read would need that much memory.
    using file = await Deno.open(filepath, { write: true, create: true });
    await file.truncate(2.5 * 2 ** 30);
    for (
      const ds of [
        new CsvDataset({ filepath }),
        new JsonDataset({ filepath }),
        new TextDataset({ filepath }),
        new YamlDataset({ filepath }),
      ]
    ) {
      await assert.rejects(() => ds.load(), (e: DatasetError) => {
        assert.equal(e.code, "dataset/too-large");
        assert.match(e.message, /huge\.csv \(2560 MiB\) is too large to load as text/);
        assert.match(e.hint ?? "", /PartitionedDataset/);
        return true;
      });
    }
  });
});
