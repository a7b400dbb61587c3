/**
 * Interpolation against real OmegaConf (python3-omegaconf, a test prerequisite): the same YAML texts
 * resolved by kmlf's config interpolation and by `OmegaConf.to_container(resolve=True)`, as Kedro's
 * loader resolves them. Hand-picked texts, then generated resolver arguments (OmegaConf's element
 * grammar: typed tokens, escapes, quotes, lists, dicts, interpolations written into text).
 *
 * Values are compared as data, where a float without a fraction (`1.0`) is a number and dict keys that look
 * like integers come first in a JavaScript object; the last tests compare them as written (Python's json
 * text: `1.0`, the file's key order), where kmlf keeps what the file held beside the value.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { resolveAll } from "../../lib/config/interpolate.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { pythonOracle } from "../python_oracle.ts";
import { pyJsonDump } from "../../lib/py_json.ts";

const SCRIPT = fileURLToPath(new URL("./omegaconf_oracle.py", import.meta.url));

type Answer = { ok: unknown } | { err: string };

function tag(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    return { $float: Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
  }
  if (Array.isArray(value)) return value.map(tag);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tag(v)]));
  }
  return value;
}

function kmlfResolve(text: string, written = false): Answer {
  try {
    const root = parseYaml(text, "parameters.yml", { sourceKeys: written }).value as Record<string, unknown>;
    const write = written ? pyJsonDump : tag;
    return {
      ok: write(resolveAll({
        configType: "parameters",
        root,
        globals: {},
        runtimeParams: {},
        allowEnv: false,
        allowRuntimeParams: true,
        resolvers: {},
        locate: () => undefined,
      })),
    };
  } catch (error) {
    return { err: (error as Error).message };
  }
}

// `written`: compared as Python's json writes them (floats without a fraction, key order), not as data.
async function assertSameAsOmegaConf(texts: string[], written = false): Promise<void> {
  const expected = await pythonOracle<Answer[]>(SCRIPT, { texts, written });
  const differences = texts.flatMap((text, i) => {
    const got = kmlfResolve(text, written);
    const want = expected[i];
    const same = "err" in want ? "err" in got : "ok" in got && isDeepEqual(got.ok, want.ok);
    return same ? [] : [
      `${JSON.stringify(text)}\n  OmegaConf: ${JSON.stringify(want)}\n  kmlf:      ${JSON.stringify(got)}`,
    ];
  });
  assert.equal(
    differences.length,
    0,
    `${differences.length} of ${texts.length} differ:\n${differences.join("\n")}`,
  );
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

const VALUES = [
  "1",
  "2.5",
  "-0.5",
  "true",
  "null",
  "'s'",
  "'it''s'",
  "[1, 'x', null]",
  "{k: 1, j: [true]}",
  "''",
  "1e-7",
];

Deno.test("a value written into text reads as Python's str() of it, as OmegaConf writes it", async () => {
  await assertSameAsOmegaConf(
    VALUES.flatMap((v) => [`a: ${v}\nb: \${a}\nc: x\${a}y\n`, `a: ${v}\nb: '\${a}\${a}'\n`]),
  );
});

Deno.test("resolver arguments follow OmegaConf's grammar: typed tokens, text, quotes, lists, dicts", async () => {
  const args = [
    "0x10",
    "007",
    "1_000",
    "-0",
    "+5",
    "1__0",
    ".5",
    "5.5",
    "+.5",
    "-.inf",
    "inf",
    "-INF",
    "NaN",
    "1e-3",
    "TRUE",
    "False",
    "NULL",
    "Null",
    "yes",
    "no",
    "2024-01-01",
    "a b",
    "a-b",
    "a.b",
    "a/b",
    "50%",
    "x@y",
    "a?b",
    "a|b",
    "a\\,b",
    "a\\:b",
    "a\\\\b",
    "a\\b",
    "x\\${a}",
    "http://x:1/y",
    "'q'",
    '"dq"',
    "'x\\'y'",
    "'x\\${a}y'",
    "'${a}'",
    "[]",
    "{}",
    "[a, 'b c', 1]",
    "{k: v, j: [1, {m: null}]}",
    "[1,,2]",
    "${a}",
    "pre ${a} post",
    "[${a}, ${a}]",
    "{k: ${a}}",
    "a]",
    "a{",
    "it's",
  ];
  await assertSameAsOmegaConf(
    args.flatMap((arg) => {
      const yaml = arg.replaceAll("'", "''");
      return [`a: 1.5\nb: '\${oc.select:zz, ${yaml}}'\n`, `a: 1.5\nb: 'x\${oc.select:zz, ${yaml}}y'\n`];
    }),
  );
});

Deno.test("escapes: backslashes before ${ and inside quoted arguments, as OmegaConf's lexer reads them", async () => {
  const texts = [
    "\\${a}",
    "\\\\${a}",
    "\\\\\\${a}",
    "q\\\\\\\\${a}",
    "a\\\\b ${a}",
    "a\\b",
    "${a}\\",
    "$${a}",
  ]
    .map((t) => `a: 1\nb: '${t}'\n`);
  texts.push(
    "a: 1\nb: '${oc.select:zz,''x\\''y''}'\n",
    "a: 1\nb: '${oc.select:zz,''x\\\\''}'\n",
    "a: 1\nb: '${oc.select:zz,''x\\\\y''}'\n",
    "a: 1\nb: '${oc.select:zz,''x\\\\\\${a}y''}'\n",
    'a: 1\nb: \'${oc.select:zz,"x\\"y"}\'\n',
  );
  await assertSameAsOmegaConf(texts);
});

Deno.test("oc.decode reads text with the argument grammar and oc.create reads YAML", async () => {
  await assertSameAsOmegaConf([
    "a: 1\nb: '${oc.decode:\"[1, 2]\"}'\nc: '${oc.decode:\"{x: 1}\"}'\nd: '${oc.decode:\"1.5\"}'\n",
    "a: 1\nb: '${oc.decode:\"yes\"}'\nc: '${oc.decode:\"2024-01-01\"}'\nd: '${oc.decode:\"0x10\"}'\n",
    "a: 1\nb: '${oc.decode:\"{a: ${a}}\"}'\n",
    "a: 1\nb: '${oc.decode:\" 1 \"}'\n",
    "a: 1\nb: '${oc.decode:\"[1\"}'\n",
    "a: 1\nb: '${oc.decode:\"a,b\"}'\n",
    "a: 1\nb: '${oc.decode:\"\"}'\n",
    "a: 1\nb: '${oc.decode:null}'\n",
    "a: 1\nb: '${oc.create:{x: ${a}}}'\nc: '${oc.create:''{y: yes}''}'\n",
    "a: 2.5\nb: 'v=${oc.create:[${a}, true, null, x]}'\n",
  ]);
});

Deno.test("generated resolver arguments resolve as OmegaConf resolves them", async () => {
  let seed = 0x2545f491;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const tokens = [
    "0",
    "7",
    "-3",
    "1_000",
    "+5",
    "007",
    "0.5",
    "-.25",
    "1.5e-3",
    "2.5E-1",
    "inf",
    "-INF",
    "nan",
    "true",
    "FALSE",
    "null",
    "NULL",
    "abc",
    "a_b",
    "x1",
    "a-b",
    "a.b",
    "a/b",
    "x@y",
    "50%",
    "a\\,b",
    "a\\:b",
    "a\\\\b",
    "a\\]b",
    "${a}",
    "${b}",
  ];
  const element = (depth: number): string => {
    const kind = depth > 1 ? random() * 3 : random() * 6;
    if (kind < 1.6) return pick(tokens);
    if (kind < 2.3) return `${pick(tokens)}${pick([" ", "-"])}${pick(tokens)}`;
    if (kind < 3) {
      return pick(["'", '"']).replace(/.*/, (q) => `${q}${pick(["t", "a b", "${a}", "x,y", "{k}"])}${q}`);
    }
    if (kind < 4.5) {
      return `[${Array.from({ length: Math.floor(random() * 4) }, () => element(depth + 1)).join(", ")}]`;
    }
    return `{${
      Array.from({ length: Math.floor(random() * 3) }, (_, i) => `k${i}: ${element(depth + 1)}`).join(", ")
    }}`;
  };
  const texts = Array.from({ length: 300 }, () => {
    const arg = element(0).replaceAll("'", "''");
    return `a: ${pick(VALUES)}\nb: ${pick(["1", "'t'", "[2]"])}\nc: '${
      pick(["", "x "])
    }\${oc.select:zz, ${arg}}'\n`;
  });
  await assertSameAsOmegaConf(texts);
});

Deno.test("floats without a fraction and the file's keys come out of every resolver as OmegaConf writes them", async () => {
  await assertSameAsOmegaConf([
    "m: {a: 2.0, b: x, '1': 1.0}\nv: ${oc.dict.values:m}\nt: 't-${m.a}'\n",
    "m: {a: 2.0, 2: x, 1: 1.0}\nk: ${oc.dict.keys:m}\n", // OmegaConf's oc.dict.values fails on an int key
    "c: '${oc.create:''[1.0, 2, 1e3]''}'\nd: '${oc.create:''{b: 1.0, 2: 3.0}''}'\ne: '${oc.create:[1.0]}'\n",
    "a: 1.0\ns: ${oc.select:a}\nt: ${oc.select:zz, 2.0}\nu: 'u-${oc.select:zz, 3.0}'\nl: ${oc.select:zz, [1.0]}\n",
    "a: '1.0'\nd: ${oc.decode:${a}}\ne: '${oc.decode:''[1.0, {x: 2.0}]''}'\nf: 'f-${oc.decode:${a}}'\n",
    "n: {b: '${m.a}', c: 3}\nm: {a: 2.0}\nv: ${oc.dict.values:n}\n",
  ], true);
});
