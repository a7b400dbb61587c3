/**
 * YAML bombs against every YAML entry point: nested anchors (lists, mappings, merge keys, strings),
 * alias cycles, deep nesting (flow, block, through aliases) and over-sized files. Each is refused with a
 * `yaml/...` error naming the file and line, quickly (the issue's 646-byte bomb took 67 s and 3.5 GB).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { YAML_LIMITS } from "../../lib/yaml/limits.ts";
import { parseYaml, readYamlFile } from "../../lib/yaml/parse_yaml.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

/** `levels` levels of `width` aliases to the level below: width^levels entries once expanded. */
function listBomb(levels = 9, width = 10): string {
  const lines = [`a0: &a0 [${Array(width).fill("x").join(", ")}]`];
  for (let i = 1; i <= levels; i++) {
    lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(", ")}]`);
  }
  return lines.join("\n") + "\n";
}

function mapBomb(levels = 9): string {
  const lines = ["m0: &m0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}"];
  for (let i = 1; i <= levels; i++) {
    const entries = Array.from({ length: 10 }, (_, j) => `k${j}: *m${i - 1}`).join(", ");
    lines.push(`m${i}: &m${i} {${entries}}`);
  }
  return lines.join("\n") + "\n";
}

/** Merge keys (`<<: *x`) copy the keys but share the values: still a bomb once walked. */
function mergeBomb(levels = 8): string {
  const lines = ["b0: &b0 {v: [x, x, x, x, x, x, x, x, x, x]}"];
  for (let i = 1; i <= levels; i++) {
    lines.push(`b${i}: &b${i}`, `  <<: *b${i - 1}`, `  more: [${Array(10).fill(`*b${i - 1}`).join(", ")}]`);
  }
  return lines.join("\n") + "\n";
}

/** One long string, repeated by aliases: 200 × 100,000 characters. */
function stringBomb(): string {
  return `s: &s "${"x".repeat(100_000)}"\nlist: [${Array(200).fill("*s").join(", ")}]\n`;
}

/** Variants, each with the code it must give and the line the error must name (0: a line with an alias). */
const VARIANTS: Record<string, { text: string; code: string; line: number }> = {
  "nested list anchors": { text: listBomb(), code: "yaml/alias-expansion", line: 0 },
  "nested mapping anchors": { text: mapBomb(), code: "yaml/alias-expansion", line: 0 },
  "merge-key anchors": { text: mergeBomb(), code: "yaml/alias-expansion", line: 0 },
  "a long string repeated by aliases": { text: stringBomb(), code: "yaml/alias-expansion", line: 2 },
  "an alias inside its own anchor": {
    text: "a: &a\n  b: 1\n  self: *a\n",
    code: "yaml/alias-cycle",
    line: 3,
  },
  "an alias cycle in a list": { text: "x: 1\nl: &l [1, [2, *l]]\n", code: "yaml/alias-cycle", line: 2 },
  "deep flow nesting": {
    text: "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
    code: "yaml/too-deep",
    line: 1,
  },
  "deep nesting just past the limit": {
    text: "a: " + "[".repeat(YAML_LIMITS.maxDepth + 1) + "]".repeat(YAML_LIMITS.maxDepth + 1) + "\n",
    code: "yaml/too-deep",
    line: 1,
  },
  "deep block nesting": {
    text: Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n",
    code: "yaml/too-deep",
    line: 101,
  },
  "deep nesting through aliases": {
    text: `d: &d ${"[".repeat(60)}1${"]".repeat(60)}\ne: &e ${"[".repeat(30)}*d${
      "]".repeat(30)
    }\nf: [[[[[[[[[[[*e]]]]]]]]]]]\n`,
    code: "yaml/too-deep",
    line: 3,
  },
};

/** The error's line is `line`, or (line 0) a line of `text` that holds an alias past the first levels. */
function assertNamesLine(text: string, at: number | undefined, line: number, what: string): void {
  assert.ok(at !== undefined, `${what}: no line`);
  if (line > 0) assert.equal(at, line, `${what}: line`);
  else assert.match(text.split("\n")[at - 1] ?? "", /\*[a-z]\d/, `${what}: line ${at} holds no alias`);
}

Deno.test("parseYaml refuses each bomb variant with its yaml/ code, file and line, quickly", () => {
  for (const [name, v] of Object.entries(VARIANTS)) {
    assert.throws(
      () => parseYaml(v.text, "conf/base/parameters.yml"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, `${name}: ${e}`);
        assert.equal(e.code, v.code, `${name}: ${e.message}`);
        assert.equal(e.source?.file, "conf/base/parameters.yml", name);
        assertNamesLine(v.text, e.source?.line, v.line, name);
        assert.ok(e.message.includes("conf/base/parameters.yml"), name);
        return true;
      },
      name,
    );
  }
});

Deno.test("anchors and aliases that do not multiply still work, merge keys included", () => {
  const src = parseYaml(
    "defaults: &d {type: csv, save_args: {index: false}}\na:\n  <<: *d\n  filepath: a.csv\nb: *d\n" +
      "names: &n [x, y]\nmore: [*n, *n]\n",
    "conf/base/catalog.yml",
  );
  assert.deepEqual(src.value, {
    defaults: { type: "csv", save_args: { index: false } },
    a: { type: "csv", save_args: { index: false }, filepath: "a.csv" },
    b: { type: "csv", save_args: { index: false } },
    names: ["x", "y"],
    more: [["x", "y"], ["x", "y"]],
  });
  // An alias-free document is not limited by the alias limits, however large.
  const big = Array.from({ length: 50_000 }, (_, i) => `k${i}: [${i}, ${i}, ${i}]`).join("\n");
  assert.equal(Object.keys(parseYaml(big, "big.yml").value as object).length, 50_000);
  // Exactly the depth limit is fine, with and without anchors in the text.
  const atLimit = "[".repeat(YAML_LIMITS.maxDepth - 1) + "]".repeat(YAML_LIMITS.maxDepth - 1);
  parseYaml(`a: ${atLimit}\n`, "deep.yml");
  parseYaml(`x: &x 1\na: ${atLimit}\n`, "deep.yml");
  // Text with '&' but no anchors (URLs) parses as before.
  assert.deepEqual(parseYaml("url: 'https://h/?a=1&b=2'\n", "x.yml").value, { url: "https://h/?a=1&b=2" });
});

Deno.test("a configuration file over the size limit is refused before it is read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-yaml-" });
  try {
    const path = join(dir, "parameters.yml");
    const line = `x: "${"y".repeat(1000)}"\n`;
    await Deno.writeTextFile(path, line.repeat(Math.ceil(YAML_LIMITS.maxFileBytes / line.length) + 10));
    await assert.rejects(readYamlFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.code, "yaml/too-large");
      assert.equal(e.source?.file, path);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const lines = (text: string) => text.split("\n").length;
/** Every YAML entry point of a project, each given a different variant, through the real CLI. */
const ENTRY_POINTS: {
  file: string;
  text: (o: string) => string;
  code: string;
  line: (o: string) => number;
}[] = [
  {
    file: "conf/base/parameters.yml",
    text: (o) => o + listBomb(),
    code: "yaml/alias-expansion",
    line: () => 0,
  },
  { file: "conf/base/catalog.yml", text: (o) => o + mapBomb(), code: "yaml/alias-expansion", line: () => 0 },
  {
    file: "conf/local/credentials.yml",
    text: () => mergeBomb(),
    code: "yaml/alias-expansion",
    line: () => 0,
  },
  { file: "conf/base/globals.yml", text: () => stringBomb(), code: "yaml/alias-expansion", line: () => 2 },
  { file: "conf/local/mlflow.yml", text: () => "a: &a\n  b: *a\n", code: "yaml/alias-cycle", line: () => 2 },
  {
    file: "pipelines/training.yml",
    text: (o) => o + listBomb(),
    code: "yaml/alias-expansion",
    line: () => 0,
  },
  {
    file: "pipelines/training.yml",
    text: (o) => o + "deep: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
    code: "yaml/too-deep",
    line: lines,
  },
  {
    file: "kmlf.yml",
    text: (o) => o + "extra: &x [1, 2]\nmore: " + "[".repeat(200) + "*x" + "]".repeat(200) + "\n",
    code: "yaml/too-deep",
    line: (o) => lines(o) + 1,
  },
];

for (const entry of ENTRY_POINTS) {
  Deno.test(`kmlf run refuses a ${entry.code.slice(5)} in ${entry.file} with file:line (CLI)`, async () => {
    const original = await Deno.readTextFile(new URL(`../../${entry.file}`, import.meta.url)).catch(() => "");
    const text = entry.text(original);
    const dir = await demoProject({ [entry.file]: text });
    try {
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`error\\[${entry.code}\\]`), r.stderr);
      const at = r.stderr.match(new RegExp(`at ${entry.file.replaceAll(".", "\\.")}:(\\d+):\\d+`));
      assert.ok(at, r.stderr);
      assertNamesLine(text, Number(at[1]), entry.line(original), entry.file);
      assert.doesNotMatch(r.stderr, /error\[internal\]|Maximum call stack|Map maximum size/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a file store's meta.yaml holding an alias bomb is refused when read, not expanded", async () => {
  const { FileStore } = await import("../../lib/tracking/mod.ts");
  const { TrackingError } = await import("../../lib/errors.ts");
  const dir = await Deno.makeTempDir({ prefix: "kmlf-yaml-meta-" });
  try {
    const store = await FileStore.open(join(dir, "mlruns"));
    const id = await store.createExperiment("bombed");
    const run = await store.createRun({ experimentId: id });
    const meta = join(dir, "mlruns", id, run.info.runId, "meta.yaml");
    await Deno.writeTextFile(meta, (await Deno.readTextFile(meta)) + listBomb());
    await assert.rejects(store.getRun(run.info.runId), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.match(e.message, /alias/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
