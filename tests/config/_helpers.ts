/** Shared helpers for the config tests: load one config type from a temp conf tree, check errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigLoader, type ConfigLoaderOptions, type LoadedConfig } from "../../lib/config/mod.ts";
import type { KmlfError } from "../../lib/errors.ts";

/** Loads `type` from `<dir>/conf` with env "local" unless `options` say otherwise. */
export async function load(
  dir: string,
  type: string,
  options: Partial<ConfigLoaderOptions> = {},
): Promise<LoadedConfig> {
  const loader = await ConfigLoader.create({ confSource: join(dir, "conf"), env: "local", ...options });
  return await loader.get(type);
}

/** Awaits `fn`, asserts it threw a `kind` error with `code` and a message matching `message`. */
export async function rejectsWith<E extends KmlfError>(
  fn: () => Promise<unknown>,
  kind: new (...args: never[]) => E,
  code: string,
  message?: RegExp,
): Promise<E> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  return check(caught, kind, code, message);
}

/** Synchronous twin of {@link rejectsWith}. */
export function throwsWith<E extends KmlfError>(
  fn: () => unknown,
  kind: new (...args: never[]) => E,
  code: string,
  message?: RegExp,
): E {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  return check(caught, kind, code, message);
}

function check<E extends KmlfError>(
  caught: unknown,
  kind: new (...args: never[]) => E,
  code: string,
  message?: RegExp,
): E {
  assert.ok(caught instanceof kind, `expected a ${kind.name}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}
