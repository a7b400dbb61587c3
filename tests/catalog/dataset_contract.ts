/**
 * The one contract every dataset honours, run against each built-in type: save → load round-trips,
 * exists() before/after, release(), describe(), saving null/undefined is refused, and saves leave no
 * temporary files behind.
 */
import assert from "node:assert/strict";
import type { Dataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";

/** How to test one dataset type. */
export interface ContractCase<T> {
  /** A fresh instance over `dir` (called again to check that data persisted). */
  make(dir: string): Dataset<T> | Promise<Dataset<T>>;
  sample: T;
  /** Compare loaded with saved (defaults to deepEqual). */
  equal?(loaded: unknown, saved: T): void | Promise<void>;
  /** Whether data survives release() and a new instance (false for memory). */
  persistent?: boolean;
  /** Load-only datasets: writes `sample` behind the dataset's back instead of calling save(). */
  seed?(dir: string): Promise<void>;
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

  Deno.test(`${name} dataset: save then load round-trips; exists, release and describe follow`, async () => {
    await inTempDir(async (dir) => {
      const ds = await c.make(dir);
      assert.equal(await ds.exists(), false, "nothing saved yet");
      if (c.seed) await c.seed(dir);
      else await ds.save(c.sample);
      assert.equal(await ds.exists(), true);
      await equal(await ds.load(), c.sample);
      await ds.release?.();
      if (c.persistent === false) assert.equal(await ds.exists(), false, "release drops in-memory data");
      else {
        await equal(await ds.load(), c.sample);
        await equal(await (await c.make(dir)).load(), c.sample);
      }
      const described = ds.describe();
      assert.ok(typeof described === "object" && described !== null && !Array.isArray(described));
      assert.doesNotThrow(() => JSON.stringify(described));
    });
  });

  Deno.test(`${name} dataset: refuses null/undefined and leaves no temporary files`, async () => {
    await inTempDir(async (dir) => {
      const ds = await c.make(dir);
      for (const nothing of [undefined, null]) {
        await assert.rejects(
          async () => await ds.save(nothing as T),
          (e: DatasetError) =>
            e instanceof DatasetError && (e.code === "dataset/save-none" || e.code === "dataset/read-only"),
        );
      }
      if (!c.seed) {
        await ds.save(c.sample);
        await (await c.make(dir)).save(c.sample);
      }
      assert.deepEqual(await filesUnder(dir, (f) => /\.tmp$|-journal$/.test(f)), []);
    });
  });
}

/** Runs `fn` in a fresh temp dir, removed afterwards. */
export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-catalog-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Relative paths of files under `dir` (recursively) whose name passes `keep`. */
export async function filesUnder(
  dir: string,
  keep: (name: string) => boolean = () => true,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, rel: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`, `${rel}${e.name}/`);
      else if (keep(e.name)) found.push(rel + e.name);
    }
  };
  await walk(dir, "");
  return found.sort();
}
