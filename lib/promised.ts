/**
 * Promises for synchronous work behind a promise-returning contract.
 *
 * @module
 */

/**
 * Runs `fn` now, as the body of an async function runs: its result resolves the promise and its throw
 * rejects it. For public methods that promise a result (a dataset's `exists()`, `ConfigLoader.create`) but
 * whose work is synchronous (kmlf's file-system calls are): a refusal stays a rejection, which is what
 * `.catch()` and `Promise.all` callers rely on.
 *
 * @example
 * ```ts
 * const exists = promised(() => Deno.statSync("data/01_raw/iris.csv").isFile); // a rejection if missing
 * ```
 */
export function promised<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}
