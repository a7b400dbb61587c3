/**
 * The README's "Troubleshooting (by error code)" table is the user's index of kmlf's error codes: every code
 * it lists must be one kmlf can raise, and every code kmlf raises must be listed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "../cli_harness.ts";

/** The prefixes kmlf's error codes use (`area/name`); other `a/b` texts in lib/ are paths and media types. */
const AREAS = [
  "catalog",
  "cli",
  "config",
  "dataset",
  "export",
  "hooks",
  "io",
  "logging",
  "mlflow",
  "model",
  "new",
  "node",
  "pipeline",
  "plugins",
  "project",
  "run",
  "runner",
  "server",
  "session",
  "settings",
  "tracking",
  "validation",
  "yaml",
];

/** Areas whose codes end with a kind from lib/io_errors.ts (`dataset/${problem.code}`). */
const IO_AREAS = ["dataset", "tracking"];

/** Prefixes completed at run time (`${codePrefix}-${what}`); the table lists them as `prefix-*`. */
const GENERATED_PREFIXES = ["catalog/comparison", "catalog/custom", "mlflow/flavor"];

async function libSources(dir = join(REPO, "lib")): Promise<string[]> {
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && !path.endsWith(join("server", "ui"))) texts.push(...await libSources(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) texts.push(await Deno.readTextFile(path));
  }
  return texts;
}

/** Every `area/name` literal in lib/ (the codes errors and warnings carry, and a few that are not codes). */
async function libCodes(): Promise<{ codes: Set<string>; ioKinds: Set<string> }> {
  const codes = new Set<string>();
  const literal = new RegExp(`["'\`\\[]((?:${AREAS.join("|")})/[a-z][a-z0-9-]*[a-z0-9])["'\`\\]]`, "g");
  for (const text of await libSources()) {
    for (const m of text.matchAll(literal)) codes.add(m[1]);
  }
  const ioText = await Deno.readTextFile(join(REPO, "lib", "io_errors.ts"));
  const ioKinds = new Set([...ioText.matchAll(/code: "([a-z-]+)"/g)].map((m) => m[1]));
  for (const area of IO_AREAS) for (const kind of ioKinds) codes.add(`${area}/${kind}`);
  for (const prefix of GENERATED_PREFIXES) codes.delete(prefix);
  return { codes, ioKinds };
}

/** The codes in the first column of the Troubleshooting table (`mlflow/flavor-*` wildcards kept as written). */
async function tableCodes(): Promise<string[]> {
  const readme = await Deno.readTextFile(join(REPO, "README.md"));
  const start = readme.indexOf("## Troubleshooting (by error code)");
  assert.ok(start >= 0, "README has the Troubleshooting section");
  const end = readme.indexOf("\n## ", start + 3);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]).filter((c) => c !== "code");
}

Deno.test("every code in the README's Troubleshooting table is one kmlf raises", async () => {
  const { codes } = await libCodes();
  const sources = await libSources();
  const unknown = (await tableCodes()).filter((code) => {
    if (/^[A-Z_]+$/.test(code)) return !sources.some((text) => text.includes(`"${code}"`)); // MLflow's REST codes
    if (code.endsWith("-*")) {
      const prefix = code.slice(0, -2);
      return !GENERATED_PREFIXES.includes(prefix) && ![...codes].some((c) => c.startsWith(`${prefix}-`));
    }
    return !codes.has(code);
  });
  assert.deepEqual(unknown, [], "README lists codes lib/ never raises (renamed or removed?)");
});

Deno.test("every code kmlf raises is in the README's Troubleshooting table", async () => {
  const { codes } = await libCodes();
  const listed = await tableCodes();
  const covered = (code: string) =>
    listed.includes(code) ||
    listed.some((l) => l.endsWith("-*") && code.startsWith(l.slice(0, -1)));
  const missing = [...codes].filter((c) => !covered(c)).sort();
  assert.deepEqual(missing, [], "add these codes to the README's Troubleshooting table");
});

Deno.test("the README's Troubleshooting table lists each code once", async () => {
  const codes = await tableCodes();
  assert.deepEqual(codes.filter((c, i) => codes.indexOf(c) !== i), []);
});
