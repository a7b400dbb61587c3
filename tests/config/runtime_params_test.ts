import assert from "node:assert/strict";
import { parseRuntimeParams, runtimeParamsFromMapping } from "../../lib/config/mod.ts";
import { pyJsonDump } from "../../lib/py_json.ts";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
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

// What Python's writers make of a value: kedro-mlflow logs str(1.0) "1.0", OmegaConf keeps the float.
const asPython = (value: unknown) => [pyJsonDump(value), pyyamlDump(value).trimEnd()];

Deno.test("--params floats without a fraction stay floats for the writers (1.0, 1e3, -0.0), as OmegaConf reads them", () => {
  assert.deepEqual(asPython(parseRuntimeParams("lr=1.0,a=1e3,b=-0.0,c=.5,d=1,e=678.")), [
    '{"lr": 1.0, "a": 1000.0, "b": -0.0, "c": 0.5, "d": 1, "e": 678.0}',
    "a: 1000.0\nb: -0.0\nc: 0.5\nd: 1\ne: 678.0\nlr: 1.0",
  ]);
  // Kedro's key:value form, dotted keys, and floats inside a flow map or list.
  assert.deepEqual(asPython(parseRuntimeParams("lr:2.0,m.x=3.0,f={a: 1.0},l=[1.0]")), [
    '{"lr": 2.0, "m": {"x": 3.0}, "f": {"a": 1.0}, "l": [1.0]}',
    "f:\n  a: 1.0\nl:\n- 1.0\nlr: 2.0\nm:\n  x: 3.0",
  ]);
  // The last duplicate wins, its type too; a value replaced by a mapping is no float.
  assert.deepEqual(asPython(parseRuntimeParams("lr=1.0,lr=1,k=2,k=2.0,a=1.0,a.b=2")), [
    '{"lr": 1, "k": 2.0, "a": {"b": 2}}',
    "a:\n  b: 2\nk: 2.0\nlr: 1",
  ]);
});

Deno.test("a run config file's params keep the floats the file wrote (run.params lr: 1.0)", () => {
  const file = parseYaml("lr: 1.0\nmodel.n: 2.0\ns: {k: 3.0}\nl: [4.0]\ni: 5\n", "run.yml", {
    sourceKeys: true,
  });
  assert.equal(
    pyJsonDump(runtimeParamsFromMapping(file.value as Record<string, unknown>)),
    '{"lr": 1.0, "model": {"n": 2.0}, "s": {"k": 3.0}, "l": [4.0], "i": 5}',
  );
});
