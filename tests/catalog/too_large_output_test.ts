/**
 * Data whose text passes one JavaScript string (~512 MiB) is `dataset/too-large` naming the dataset and
 * the fix, not V8's bare "Invalid string length". The encode steps below hit V8's real limit through
 * `String.prototype.repeat`, which refuses before allocating anything, so no gigabytes are needed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog, TextDataset } from "../../lib/catalog/mod.ts";
import { MAX_STRING_LENGTH } from "../../lib/catalog/datasets/_text_decoding.ts";
import { DatasetError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";
import { catalogConfig } from "./catalog_helpers.ts";

/** A text dataset whose encoding repeats the text `times` times (a report template, say). */
class RepeatedText extends TextDataset {
  constructor(filepath: string, readonly times: number) {
    super({ filepath });
  }
  protected override encode(data: string): string {
    return data.repeat(this.times);
  }
}

function assertTooLarge(error: unknown, name: string, what: RegExp): void {
  assert.ok(error instanceof DatasetError, String(error));
  assert.equal(error.code, "dataset/too-large");
  assert.match(error.message, new RegExp(`"${name}"`));
  assert.match(error.message, what);
  assert.match(error.hint ?? "", /PartitionedDataset.*parquet/);
  assert.ok(error.cause instanceof RangeError);
}

Deno.test("a file dataset whose encoded output passes one string is dataset/too-large, nothing written", async () => {
  await withTree({}, async (dir) => {
    const catalog = Catalog.empty({ projectRoot: dir });
    catalog.add("report", new RepeatedText(join(dir, "report.txt"), MAX_STRING_LENGTH + 1));
    const error = await catalog.save("report", "x").then(() => undefined, (e) => e);
    assertTooLarge(
      error,
      "report",
      /Cannot save dataset "report" \(RepeatedText\): its encoded output is longer/,
    );
    assert.equal(await Deno.stat(join(dir, "report.txt")).then(() => true, () => false), false);
    // The same dataset within the limit saves.
    catalog.add("small", new RepeatedText(join(dir, "small.txt"), 3), { replace: true });
    await catalog.save("small", "ab");
    assert.equal(await Deno.readTextFile(join(dir, "small.txt")), "ababab");
  });
});

Deno.test("a user dataset class hitting the string limit on save or load is dataset/too-large", async () => {
  const module = `export class Huge {
  constructor(readonly opts: { filepath: string }) {}
  async load(): Promise<string> { return (await Deno.readTextFile(this.opts.filepath)).repeat(${MAX_STRING_LENGTH}); }
  async save(data: string): Promise<void> { await Deno.writeTextFile(this.opts.filepath, data.repeat(${MAX_STRING_LENGTH})); }
  async exists(): Promise<boolean> { return true; }
  describe() { return { ...this.opts }; }
}
`;
  await withTree({ "datasets/huge.ts": module, "h.txt": "ab" }, async (dir) => {
    const catalog = await Catalog.fromConfig(
      catalogConfig("h:\n  type: ./datasets/huge.ts#Huge\n  filepath: h.txt\n"),
      { projectRoot: dir },
    );
    const saved = await catalog.save("h", "ab").then(() => undefined, (e) => e);
    assertTooLarge(saved, "h", /Cannot save dataset "h" .*encoded output/);
    const loaded = await catalog.load("h").then(() => undefined, (e) => e);
    assertTooLarge(loaded, "h", /Cannot load dataset "h" .*its text is longer/);
  });
});
