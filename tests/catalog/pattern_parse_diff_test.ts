/**
 * Differential test of dataset factory patterns against Python's `parse` (Debian's python3-parse, the
 * version Kedro requires at least; tests/catalog/parse_oracle.py) and `str.format`: for generated patterns
 * with format specs (fill, alignment, zero, width, precision, type) and generated names, kmlf matches the
 * names parse matches, with the same values, and fills the entry's strings as `str.format` does.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { compilePattern, resolvePattern } from "../../lib/catalog/patterns.ts";
import { DatasetError } from "../../lib/errors.ts";
import { pythonOracle } from "../python_oracle.ts";
import { seededRandom } from "../seeded_random.ts";

const SCRIPT = fileURLToPath(new URL("./parse_oracle.py", import.meta.url));

type Answer = null | { error: string } | {
  named: Record<string, { int?: string; str?: string }>;
  filled: unknown[];
};

async function parseOracle(
  cases: { pattern: string; name: string; templates: string[] }[],
): Promise<Answer[]> {
  return await pythonOracle<Answer[]>(SCRIPT, cases);
}

const TYPES = ["", "", "d", "d", "w", "x", "b", "o", "l", "S", "D", "s", "W"];

function spec(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const fill = pick(["", "", "", "0", "_", "*", "x", "."]);
  const align = pick(["", "", "<", ">", "^", "="]);
  const aligned = align ? fill + align : "";
  const zero = pick(["", "", "0"]);
  const width = pick(["", "", "1", "3", "5"]);
  const type = pick(TYPES);
  const precision = type === "" ? pick(["", "", ".2", ".4"]) : "";
  return `${aligned}${zero}${width}${precision}${type}`;
}

function nameFor(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const parts = [
    "7",
    "007",
    "42",
    "-3",
    "+12",
    " 5",
    "0x1F",
    "0b101",
    "0o17",
    "ab",
    "AB_c",
    "  ab",
    "ab  ",
    "**9",
    "__x",
    "x_",
    "00042",
    "12345678",
    "é",
    "a.b",
    "  ",
    "1 2",
    "",
  ];
  return pick(parts) + pick(["", "", ...parts]);
}

Deno.test("factory patterns with format specs match, read and fill names as parse and str.format do", async () => {
  const rand = seededRandom(2929);
  const cases: { pattern: string; name: string; templates: string[] }[] = [];
  for (let i = 0; i < 2000; i++) {
    const [a, b] = [spec(rand), spec(rand)];
    const pattern = rand() < 0.5 ? `m_{n:${a}}` : `{k:${a}}.{n:${b}}_x`;
    const prefix = pattern.startsWith("m_") ? "m_" : "";
    const name = pattern.startsWith("m_") ? prefix + nameFor(rand) : `${nameFor(rand)}.${nameFor(rand)}_x`;
    const templates = [
      "{n}",
      `{n:${spec(rand).replace(/[wlSDsW]$/, "")}}`,
      "{n:>6}",
      "{n:03d}",
      "{n:+}",
      "{n:#x}",
      "{n:_^9}",
      "{n:,}",
      "{n:.2}",
      "{n:c}",
    ];
    cases.push({ pattern, name, templates });
  }
  const answers = await parseOracle(cases);
  const failures: string[] = [];
  let matched = 0;
  for (const [i, { pattern, name, templates }] of cases.entries()) {
    const expected = answers[i];
    // parse 1.19 puts the fill of `=` alignment into its regex unescaped (`{n:*=d}` fails to compile,
    // `{n:.=d}` takes any character): kmlf matches the fill character itself.
    if (/\{\w*:[.*+?^$()[\]{}|\\]=/.test(pattern)) continue;
    let compiled;
    try {
      compiled = compilePattern(pattern, { t: templates });
    } catch (error) {
      if (!(expected && "error" in expected)) {
        failures.push(`${pattern}: kmlf refused (${error}), parse took it`);
      }
      continue;
    }
    if (expected && "error" in expected) {
      failures.push(`${pattern}: parse refused (${expected.error}), kmlf took it`);
      continue;
    }
    const m = name.match(compiled.regex);
    if ((m === null) !== (expected === null)) {
      failures.push(`${pattern} ${JSON.stringify(name)}: kmlf ${m ? "matched" : "did not match"}`);
      continue;
    }
    if (!m || !expected) continue;
    matched++;
    const filled: unknown[] = templates.map((t) => {
      try {
        return (resolvePattern(compilePattern(pattern, { t }), name) as { t: string }).t;
      } catch (error) {
        assert.ok(error instanceof DatasetError && error.code === "catalog/bad-pattern", String(error));
        return { error: error.message };
      }
    });
    for (const [j, want] of expected.filled.entries()) {
      const got = filled[j];
      const same = typeof want === "object" ? typeof got === "object" : got === want;
      if (!same) {
        failures.push(
          `${pattern} ${JSON.stringify(name)} ${templates[j]}: kmlf ${JSON.stringify(got)}, Python ${
            JSON.stringify(want)
          }`,
        );
      }
    }
  }
  assert.deepEqual(failures.slice(0, 12), [], `${failures.length} of ${cases.length} cases differ`);
  assert.ok(matched > 100, `only ${matched} names matched: the generator should match more`);
});
