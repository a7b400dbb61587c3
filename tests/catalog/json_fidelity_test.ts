/** JSON keeps what it is given or refuses it, naming the path; it reads the files Python's json writes. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Dataset, JsonDataset, YamlDataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { inTempDir } from "./dataset_contract.ts";

async function refused(
  make: (dir: string) => Dataset<unknown>,
  value: unknown,
  message: RegExp,
): Promise<void> {
  await inTempDir(async (dir) => {
    const ds = make(dir);
    await assert.rejects(
      async () => await ds.save(value),
      (e: DatasetError) => e instanceof DatasetError && message.test(e.message),
    );
    assert.equal(await ds.exists(), false, "a refused save writes nothing");
  });
}

async function roundTrip(make: (dir: string) => Dataset<unknown>, value: unknown): Promise<unknown> {
  return await inTempDir(async (dir) => {
    const ds = make(dir);
    await ds.save(value);
    return await ds.load();
  });
}

Deno.test("JSON refuses NaN, infinities and invalid Dates it would write as null, naming the path", async () => {
  for (const [value, what] of [[NaN, "NaN"], [-Infinity, "-Infinity"], [new Date(NaN), "an invalid Date"]]) {
    await refused(
      (dir) => new JsonDataset({ filepath: join(dir, "m.json") }) as Dataset<unknown>,
      { scores: [1, value] },
      new RegExp(`JSON cannot hold ${what} at value\\.scores\\[1\\]`),
    );
  }
  // YAML has .nan and .inf: they round-trip.
  const back = await roundTrip(
    (dir) => new YamlDataset({ filepath: join(dir, "m.yml") }) as Dataset<unknown>,
    { v: [NaN, Infinity, -Infinity] },
  ) as { v: number[] };
  assert.ok(Number.isNaN(back.v[0]) && back.v[1] === Infinity && back.v[2] === -Infinity);
});

Deno.test("JSON loads the NaN and Infinity Python's json.dump writes (Kedro's JSONDataset files)", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "m.json");
    await Deno.writeTextFile(
      file,
      '{"loss": NaN, "range": [-Infinity, Infinity], "note": "NaN \\" Infinity"}',
    );
    const value = await new JsonDataset({ filepath: file }).load() as Record<string, unknown>;
    assert.ok(Number.isNaN(value.loss));
    assert.deepEqual([value.range, value.note], [[-Infinity, Infinity], 'NaN " Infinity']);
    await Deno.writeTextFile(file, '{"loss": NaNa}');
    await assert.rejects(
      () => new JsonDataset({ filepath: file }).load(),
      (e: DatasetError) => e.code === "dataset/bad-json",
    );
  });
});
