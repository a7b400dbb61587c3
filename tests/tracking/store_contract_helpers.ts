/** Helpers shared by the store contract files. */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import type { Metric, TrackingStore } from "../../lib/tracking/mod.ts";

/** A fresh, empty store and how to throw it away. */
export interface ContractSubject {
  store: TrackingStore;
  dispose(): Promise<void>;
}

/** Makes a fresh store for each test. */
export type StoreFactory = () => Promise<ContractSubject>;

/** Asserts that `promise` rejects with a TrackingError of `code` whose message contains `fragment`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  fragment = "",
): Promise<TrackingError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(fragment), `message "${error.message}" should contain "${fragment}"`);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** Runs `fn` against a fresh store, disposing it afterwards. */
export async function withStore(
  make: StoreFactory,
  fn: (store: TrackingStore) => Promise<void>,
): Promise<void> {
  const subject = await make();
  try {
    await fn(subject.store);
  } finally {
    await subject.dispose();
  }
}

/** A metric point. */
export const point = (key: string, value: number, timestamp: number, step = 0): Metric => ({
  key,
  value,
  timestamp,
  step,
});

/** Registers one contract test: `<store name> store: <title>` against a fresh store. */
export function contractTest(name: string, make: StoreFactory) {
  return (title: string, fn: (store: TrackingStore) => Promise<void>) =>
    Deno.test(`${name} store: ${title}`, () => withStore(make, fn));
}
