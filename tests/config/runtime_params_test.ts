import assert from "node:assert/strict";
import { parseRuntimeParams } from "../../lib/config/mod.ts";
import { UsageError } from "../../lib/errors.ts";
import { throwsWith } from "./_helpers.ts";

Deno.test("--params values parse as YAML scalars and dotted keys nest", () => {
  assert.deepEqual(
    parseRuntimeParams("a=1,b.c=x,d=true,e=123.45,f=678.,g=1e-2,h=1a,i=,j=null,k=https://x.org/?q=1,l=0"),
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
      l: 0,
    },
  );
});

Deno.test("--params values that are not scalars or flow collections stay strings", () => {
  assert.deepEqual(parseRuntimeParams("b=x: y,c=2024-01-01,d='q'"), {
    b: "x: y",
    c: "2024-01-01",
    d: "q",
  });
});

Deno.test("--params flow lists and maps become lists and maps, as OmegaConf's dotlist reads them", () => {
  assert.deepEqual(parseRuntimeParams("features=[sepal_length],model={n_iter: 5},none=[],m.n={}"), {
    features: ["sepal_length"],
    model: { n_iter: 5 },
    none: [],
    m: { n: {} },
  });
});

Deno.test("--params a list cut by the comma split is a usage error that says why", () => {
  const e = throwsWith(
    () => parseRuntimeParams("features=[a,b]"),
    UsageError,
    "cli/bad-params",
    /item "features=\[a": "\[a" is not a YAML value/,
  );
  assert.match(e.hint!, /split on every comma/);
  assert.match(e.hint!, /parameters\.yml/);
});

Deno.test("--params: the last duplicate wins, spaces are trimmed, values may contain = and :", () => {
  assert.deepEqual(parseRuntimeParams(" a = 1 , a=2, t=x:y=z "), { a: 2, t: "x:y=z" });
  assert.deepEqual(parseRuntimeParams("m.x=1,m.y=2,m.x=3"), { m: { x: 3, y: 2 } });
  assert.deepEqual(parseRuntimeParams("a=1,a.b=2"), { a: { b: 2 } });
});

Deno.test("--params: empty text and empty items give nothing", () => {
  assert.deepEqual(parseRuntimeParams(""), {});
  assert.deepEqual(parseRuntimeParams("a=1,,"), { a: 1 });
});

Deno.test("--params an item without = is a usage error naming the argument and the item", () => {
  const e = throwsWith(
    () => parseRuntimeParams("a=1,oops"),
    UsageError,
    "cli/bad-params",
    /--params item "oops"/,
  );
  assert.match(e.message, /no "="/);
  assert.match(e.hint!, /key=value/);
});

Deno.test("--params empty keys and empty key parts are usage errors", () => {
  throwsWith(() => parseRuntimeParams("=3"), UsageError, "cli/bad-params", /item "=3": the key is empty/);
  throwsWith(() => parseRuntimeParams("a..b=3"), UsageError, "cli/bad-params", /"a..b" has an empty part/);
  throwsWith(() => parseRuntimeParams("a.=3"), UsageError, "cli/bad-params", /empty part/);
});

Deno.test("--params errors name the argument they came from", () => {
  throwsWith(
    () => parseRuntimeParams("x", "--runtime-params"),
    UsageError,
    "cli/bad-params",
    /--runtime-params/,
  );
});

Deno.test("--params keys named __proto__ stay data and do not touch prototypes", () => {
  const params = parseRuntimeParams("__proto__.polluted=1,a.__proto__=2");
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(params), ["__proto__", "a"]);
  assert.deepEqual(Object.keys(params.a as object), ["__proto__"]);
});
