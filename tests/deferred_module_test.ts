/**
 * lib/deferred_module.ts: a failed import's wording loads through it on the first failure, once, and once
 * loaded is called without a promise.
 */
import assert from "node:assert/strict";
import { DeferredModule } from "../lib/deferred_module.ts";

Deno.test("a deferred module is imported once, however many callers ask at once", async () => {
  let imports = 0;
  const deferred = new DeferredModule(() => {
    imports++;
    return import(new URL("../lib/v8_codec.ts", import.meta.url).href);
  });
  assert.equal(deferred.loaded, undefined);
  assert.equal(imports, 0, "nothing is imported before the first use");
  const [a, b] = await Promise.all([deferred.load(), deferred.use((m) => m)]);
  assert.equal(a, b);
  assert.equal(imports, 1);
  assert.equal(deferred.loaded, a);
});

Deno.test("once loaded, use calls at once: a value, not a promise, and a throw is thrown", async () => {
  const deferred = new DeferredModule(() => Promise.resolve({ double: (n: number) => 2 * n }));
  const first = deferred.use((m) => m.double(2));
  assert.ok(first instanceof Promise, "the first use waits for the import");
  assert.equal(await first, 4);
  assert.equal(deferred.use((m) => m.double(3)), 6);
  assert.throws(() =>
    deferred.use(() => {
      throw new Error("refused");
    }), /refused/);
});

Deno.test("a failed import rejects every use the same way, without importing again", async () => {
  let imports = 0;
  const deferred = new DeferredModule<{ x: number }>(() => {
    imports++;
    return Promise.reject(new Error("cannot load"));
  });
  await assert.rejects(() => deferred.load(), /cannot load/);
  await assert.rejects(async () => await deferred.use((m) => m.x), /cannot load/);
  assert.equal(imports, 1);
});
