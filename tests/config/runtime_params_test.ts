import assert from "node:assert/strict";
import { parseRuntimeParams } from "../../lib/config/mod.ts";
import type { UsageError } from "../../lib/errors.ts";

Deno.test("--params values parse as YAML scalars and dotted keys nest", () => {
  assert.deepEqual(
    parseRuntimeParams("a=1,b.c=x,d=true,e=123.45,f=678.,g=1e-2,h=1a,i=,j=null,k=https://x.org/?q=1"),
    {
      a: 1,
      b: { c: "x" },
      d: true,
      e: 123.45,
      f: 678,
      g: 0.01,
      h: "1a",
      i: null,
      j: null,
      k: "https://x.org/?q=1",
    },
  );
});

Deno.test("--params: the last duplicate wins, spaces are trimmed, values may contain = and :", () => {
  assert.deepEqual(parseRuntimeParams(" a = 1 , a=2, t=x:y=z "), { a: 2, t: "x:y=z" });
});

Deno.test("--params items without = or with an empty key are usage errors naming the item", () => {
  assert.throws(
    () => parseRuntimeParams("a=1,oops"),
    (e: UsageError) => e.code === "cli/bad-params" && e.message.includes('"oops"'),
  );
  assert.throws(
    () => parseRuntimeParams("=3"),
    (e: UsageError) => e.code === "cli/bad-params" && /key is empty/.test(e.message),
  );
  assert.throws(() => parseRuntimeParams("a..b=3"), /key is empty/);
});
