/**
 * Format types in dataset factory patterns (`{n:d}`, `{name:w}`, …), as Python's `parse` matches them for
 * Kedro: what each matches, what value fills the entry, ranking, and the errors for formats kmlf refuses
 * (golden: tests/golden/errors/pattern-format-*.txt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { compilePattern, resolvePattern } from "../../lib/catalog/patterns.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { assertGolden } from "../cli_harness.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { catalogConfig } from "./catalog_helpers.ts";

const matches = (pattern: string, name: string) => compilePattern(pattern, {}).regex.test(name);

Deno.test("{x:d} matches digits only (with a sign or a 0x/0o/0b prefix), plain {x} any text", () => {
  for (
    const name of ["model_7", "model_007", "model_-3", "model_+12", "model_0x1F", "model_0b101", "model_0o17"]
  ) {
    assert.ok(matches("model_{n:d}", name), name);
  }
  for (const name of ["model_final", "model_7b", "model_", "model_1.5", "model_٣"]) {
    assert.ok(!matches("model_{n:d}", name), name);
  }
  assert.ok(matches("model_{n}", "model_final"));
});

Deno.test("{x:w} matches letters, digits and _ (Unicode letters too); W, l, s, S, D, b, o, x as parse", () => {
  assert.ok(matches("{name:w}_csv", "cars_2024_csv"));
  assert.ok(matches("{name:w}_csv", "voitures_été_csv"));
  assert.ok(!matches("{name:w}_csv", "raw.cars_csv"), "a dot is not a word character");
  assert.ok(!matches("{name:w}_csv", "my-cars_csv"));
  assert.ok(matches("{layer:l}.{name}", "raw.cars"));
  assert.ok(!matches("{layer:l}.{name}", "raw2.cars"));
  assert.ok(matches("a{sep:W}b", "a--b"));
  assert.ok(!matches("a{sep:W}b", "a_b"));
  assert.ok(matches("a{gap:s}b", "a  b") && !matches("a{gap:s}b", "a-b"));
  assert.ok(matches("a{v:S}", "a-x.y") && !matches("a{v:S}", "a x"));
  assert.ok(matches("a_{v:D}", "a_xyz") && !matches("a_{v:D}", "a_x1"));
  assert.ok(matches("m{v:b}", "m0101") && !matches("m{v:b}", "m012"));
  assert.ok(matches("m{v:o}", "m0o17") && !matches("m{v:o}", "m8"));
  assert.ok(matches("m{v:x}", "mBEEF") && !matches("m{v:x}", "mbeefy"));
});

Deno.test("an integer placeholder fills the entry with the number parse gives Kedro; {n:03d} pads it", () => {
  const p = compilePattern("model_{n:d}", {
    filepath: "data/{n}.pkl",
    padded: "v{n:03d}",
    spaced: "[{n:4d}]",
    hex: "{h}",
  });
  assert.deepEqual(resolvePattern(p, "model_007"), {
    filepath: "data/7.pkl",
    padded: "v007",
    spaced: "[   7]",
    hex: "{h}",
  });
  assert.deepEqual(resolvePattern(p, "model_-5"), {
    filepath: "data/-5.pkl",
    padded: "v-05",
    spaced: "[  -5]",
    hex: "{h}",
  });
  assert.equal(resolvePattern(p, "model_0x1F")?.filepath, "data/31.pkl");
  assert.equal(resolvePattern(compilePattern("m_{v:x}", { f: "{v}" }), "m_ff")?.f, "255");
  assert.equal(resolvePattern(compilePattern("m_{v:w}", { f: "{v}" }), "m_007")?.f, "007", "w stays text");
  assert.equal(resolvePattern(p, "model_x"), undefined);
});

Deno.test("a typed pattern lets a name fall through to the next pattern, ranked by Kedro's rules", async () => {
  const catalog = await Catalog.fromConfig(
    catalogConfig(`
"model_{n:d}": {type: pickle, filepath: "data/models/{n}.pkl"}
"model_{name}": {type: json, filepath: "data/named/{name}.json"}
"{a:w}_{b:w}": {type: memory}
`),
    { projectRoot: "/p" },
  );
  // Same specificity (6) and braces: alphabetical, as Kedro; the format does not count as literal text.
  assert.deepEqual(catalog.listPatterns(), ["model_{n:d}", "model_{name}", "{a:w}_{b:w}"]);
  assert.deepEqual(catalog.resolveConfig("model_12"), { type: "pickle", filepath: "data/models/12.pkl" });
  assert.deepEqual(catalog.resolveConfig("model_best"), { type: "json", filepath: "data/named/best.json" });
  assert.equal(catalog.typeName("model_best"), "JSONDataset");
  assert.deepEqual(catalog.resolveConfig("x_y"), { type: "memory" });
  assert.equal(catalog.resolveConfig("x.y_z"), undefined, "{a:w} does not match a dot");
});

const BAD_PATTERNS: Record<string, string> = {
  "pattern-format-unknown": '"{name:q}_csv":\n  type: csv\n  filepath: data/{name}.csv\n',
  "pattern-format-float": '"score_{value:f}":\n  type: json\n  filepath: data/{value}.json\n',
  "pattern-format-precision": '"model_{n:5.2}":\n  type: pickle\n  filepath: data/{n}.pkl\n',
  "pattern-format-sign": '"model_{n:+d}":\n  type: pickle\n  filepath: data/{n}.pkl\n',
  "pattern-format-repeated": '"{a:d}_{a}":\n  type: memory\n',
};

for (const [name, yaml] of Object.entries(BAD_PATTERNS)) {
  Deno.test(`a pattern format kmlf does not take is refused at the key with the fix: ${name} (golden)`, async () => {
    const root = "/project";
    const text = `iris:\n  type: csv\n  filepath: data/iris.csv\n${yaml}`;
    // As the config loader gives it: positions of keys as well as of values.
    const src = parseYaml(text, join(root, "conf/base/catalog.yml"));
    const config = {
      data: src.value as Record<string, unknown>,
      locate: src.locate,
      locateKey: src.locateKey,
    };
    const error = await Catalog.fromConfig(config, { projectRoot: root }).then(
      () => assert.fail("the catalog was accepted"),
      (e: unknown) => e,
    );
    const problems = error instanceof KmlfAggregateError ? error.errors : [error];
    assert.equal(problems.length, 1, renderError(error));
    assert.ok(problems[0] instanceof DatasetError && problems[0].code === "catalog/bad-pattern");
    assert.equal(problems[0].source?.line, 4, "the pattern's key");
    await assertGolden(`errors/${name}`, renderError(problems[0], { relativeTo: root }) + "\n");
  });
}

Deno.test("a run that uses none of a bad pattern's names still reports the bad key", async () => {
  const yaml = 'iris: {type: memory}\n"{name:q}_csv": {type: memory}\n';
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p", used: ["iris"] }),
    (e: unknown) => {
      const errors = e instanceof KmlfAggregateError ? e.errors : [e];
      return errors.some((x) => x instanceof DatasetError && x.code === "catalog/bad-pattern");
    },
  );
});

Deno.test("widths, alignment and fill in a pattern match padded names as parse does; str.format fills the entry", () => {
  const p = compilePattern("{layer:l}.part_{n:03d}", {
    filepath: "data/{layer:>5}/part_{n:03d}.csv",
    n: "{n:_>+6,}",
  });
  assert.deepEqual(resolvePattern(p, "raw.part_007"), { filepath: "data/  raw/part_007.csv", n: "____+7" });
  assert.deepEqual(
    resolvePattern(p, "raw.part_1234")?.filepath,
    undefined,
    "a width of 3 is at most 3 digits",
  );
  assert.equal(resolvePattern(compilePattern("m_{n:>5d}", { f: "{n}" }), "m_   42")?.f, "42");
  assert.equal(resolvePattern(compilePattern("m_{n:*^}!", { f: "{n}" }), "m_*ab**!")?.f, "ab");
  // `{{` and `}}` are braces, and a field parse does not take (`{n:}`) is text.
  assert.ok(compilePattern("{{x}}_{n:d}", {}).regex.test("{x}_1"));
  assert.ok(compilePattern("m_{n:}", {}).regex.test("m_{n:}"));
  assert.ok(!compilePattern("m_{n:}", {}).regex.test("m_a"));
  assert.throws(
    () => resolvePattern(compilePattern("m_{n}", { f: "{n:d}" }), "m_a"),
    (e: DatasetError) =>
      e.code === "catalog/bad-pattern" &&
      /Unknown format code 'd' for object of type 'str'/.test(e.message) && /the text "a"/.test(e.message),
  );
});
