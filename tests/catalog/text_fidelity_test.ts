/** Text files load as the text they hold: a byte order mark and CRLF stay; bytes that are not text are an error. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset, JsonDataset, TextDataset, YamlDataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("text dataset: a byte order mark, CRLF, combining marks and emoji come back as saved", async () => {
  await inTempDir(async (dir) => {
    const ds = new TextDataset({ filepath: join(dir, "t.txt") });
    const text = "\ufeffline 1\r\ne\u0301 😀\rlast";
    await ds.save(text);
    assert.equal(await ds.load(), text);
    assert.deepEqual([...(await Deno.readFile(join(dir, "t.txt"))).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });
});

Deno.test("bytes that are not UTF-8 are an error naming the file, not replacement characters", async () => {
  await inTempDir(async (dir) => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in latin-1
    const cases = [
      new TextDataset({ filepath: join(dir, "t.txt") }),
      new JsonDataset({ filepath: join(dir, "t.json") }),
      new YamlDataset({ filepath: join(dir, "t.yml") }),
      new CsvDataset({ filepath: join(dir, "t.csv") }),
    ];
    for (const ds of cases) {
      await Deno.writeFile(ds.filepath, latin1);
      await assert.rejects(
        () => ds.load(),
        (e: DatasetError) =>
          e instanceof DatasetError && e.code === "dataset/bad-encoding" &&
          e.message === `File ${ds.filepath} is not valid utf-8 text`,
      );
    }
    const csv = new CsvDataset({
      filepath: join(dir, "t.csv"),
      loadArgs: { header: null, encoding: "latin-1" },
    });
    assert.deepEqual(await csv.load(), [{ 0: "café" }], "load_args.encoding reads it");
    await assert.rejects(
      () => new CsvDataset({ filepath: join(dir, "t.csv") }).load(),
      (e: DatasetError) => /load_args\.encoding/.test(e.hint ?? ""),
    );
  });
});

Deno.test("half of a character (a lone surrogate) is refused where UTF-8 would write U+FFFD, kept where JSON escapes it", async () => {
  await inTempDir(async (dir) => {
    const cut = "😀".slice(0, 1);
    const text = new TextDataset({ filepath: join(dir, "t.txt") });
    await assert.rejects(
      () => text.save(`line 1\nab${cut}`),
      (e: DatasetError) =>
        e.code === "dataset/not-text" && /\\ud83d\) at line 2, column 3 of the text/.test(e.message),
    );
    assert.equal(await text.exists(), false);
    const csv = new CsvDataset({ filepath: join(dir, "t.csv") });
    await assert.rejects(
      () => csv.save([{ a: "ok" }, { a: `x${cut}` }]),
      (e: DatasetError) => e.code === "dataset/not-text" && /\(row 1, column "a"\)/.test(e.message),
    );
    const json = new JsonDataset({ filepath: join(dir, "t.json") });
    await json.save({ s: `x${cut}` }); // JSON writes it as the escape \ud83d
    assert.deepEqual(await json.load(), { s: `x${cut}` });
  });
});
