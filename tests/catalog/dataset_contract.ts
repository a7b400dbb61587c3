/**
 * The one contract every dataset honours, run against each built-in type: save → load round-trips,
 * exists() before/after, release() keeps persisted data, saves leave no temp files.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import type { Dataset } from "../../lib/catalog/mod.ts";

/** How to test one dataset type. */
export interface ContractCase<T> {
  make(dir: string): Dataset<T> | Promise<Dataset<T>>;
  sample: T;
  /** Compare loaded with saved (defaults to deepEqual). */
  equal?(loaded: unknown, saved: T): void | Promise<void>;
  /** Whether data survives release() (false for memory). */
  persistent?: boolean;
  /** The file/folder the dataset writes, for the temp-file check. */
  location?(dir: string): string;
}

/**
 * Registers the contract tests for one dataset type.
 *
 * @example
 * ```ts
 * datasetContract("json", { make: (d) => new JsonDataset({ filepath: `${d}/x.json` }), sample: { a: 1 } });
 * ```
 */
export function datasetContract<T>(name: string, c: ContractCase<T>): void {
  const equal = c.equal ?? ((a: unknown, b: T) => assert.deepEqual(a, b));
  Deno.test(`${name} dataset: save then load round-trips and exists() follows`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const ds = await c.make(dir);
      assert.equal(await ds.exists(), false);
      await ds.save(c.sample);
      assert.equal(await ds.exists(), true);
      await equal(await ds.load(), c.sample);
      await ds.release?.();
      if (c.persistent !== false) await equal(await (await c.make(dir)).load(), c.sample);
      else assert.equal(await ds.exists(), false);
      assert.equal(typeof ds.describe(), "object");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  if (c.location) {
    Deno.test(`${name} dataset: saves are atomic and leave no temporary files`, async () => {
      const dir = await Deno.makeTempDir();
      try {
        const ds = await c.make(dir);
        await ds.save(c.sample);
        await ds.save(c.sample);
        const leftovers: string[] = [];
        const walk = async (d: string) => {
          for await (const e of Deno.readDir(d)) {
            if (e.isDirectory) await walk(`${d}/${e.name}`);
            else if (e.name.endsWith(".tmp")) leftovers.push(e.name);
          }
        };
        await walk(dirname(c.location!(dir)));
        assert.deepEqual(leftovers, []);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}
