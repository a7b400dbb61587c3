/**
 * kmlf's bundle (tools/build_bundle.ts): the URL rewriting it relies on, and the bundle itself running what
 * users run through `deno task install` (a tracked project run, restarted in the project's configuration)
 * with one copy of kmlf's classes shared by the CLI and the project's modules.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  bundleFiles,
  deferDynamicImports,
  markComputedUrls,
  resolveMarkers,
  sourceFingerprint,
} from "../../tools/build_bundle.ts";
import { bundledKmlf, demoProject, kmlfBundle, REPO } from "../cli_harness.ts";

Deno.test("computed URLs become markers naming their target; folders keep their slash", () => {
  const { text, targets } = markComputedUrls(
    [
      'import(new URL("./a.ts", import.meta.url).href);',
      'const W = new URL("../runner/w.ts", import.meta.url);',
      'const ROOT = new URL("../../", import.meta.url);',
      'const LIB = new URL("./", import.meta.url);',
      "if (import.meta.main) run();",
    ].join("\n"),
    "lib/cli/main.ts",
  );
  assert.deepEqual(targets, ["lib/cli/a.ts", "lib/runner/w.ts", "", "lib/cli/"]);
  assert.match(text, /new URL\("@@kmlf:lib\/cli\/a\.ts@@", import\.meta\.url\)/);
  assert.match(text, /new URL\("@@kmlf:@@", import\.meta\.url\)/);
  assert.match(text, /import\.meta\.main/);
});

Deno.test("an import.meta use the bundle cannot keep, or a URL out of kmlf's folder, fails the build with file:line", () => {
  assert.throws(
    () => markComputedUrls("const a = 1;\nconst u = new URL(name, import.meta.url);", "lib/x.ts"),
    /^Error: lib\/x\.ts:2: import\.meta used in a way the bundle cannot keep; use new URL\("\.\/…", import\.meta\.url\)/,
  );
  assert.throws(
    () => markComputedUrls('import.meta.resolve("./a.ts")', "lib/x.ts"),
    /lib\/x\.ts:1: import\.meta/,
  );
  assert.throws(
    () => markComputedUrls('new URL("../../secret.ts", import.meta.url)', "lib/x.ts"),
    /lib\/x\.ts: \.\.\/\.\.\/secret\.ts points outside kmlf's folder/,
  );
});

Deno.test("markers resolve relative to the output file that holds them", () => {
  const text =
    'a(new URL("@@kmlf:lib/cli/run.ts@@", u)); b(new URL("@@kmlf:lib/@@", u)); c(new URL("@@kmlf:@@", u));';
  assert.equal(
    resolveMarkers(text, "chunk-X.js"),
    'a(new URL("./lib/cli/run.js", u)); b(new URL("./", u)); c(new URL("./", u));',
  );
  assert.equal(
    resolveMarkers(text, "lib/cli/main.js"),
    'a(new URL("./run.js", u)); b(new URL("../../", u)); c(new URL("../../", u));',
  );
});

Deno.test("deno bundle's literal dynamic imports become computed URLs, so Deno does not read them at start", () => {
  const known = new Set(["xlsx-A.js", "lib/tracking/mod.js", "chunk-X.js"]);
  assert.equal(
    deferDynamicImports(
      'const X = await import("./xlsx-A.js"); import("./lib/tracking/mod.js"); import("npm:x");',
      "chunk-X.js",
      known,
    ),
    'const X = await import(new URL("./xlsx-A.js", import.meta.url).href); ' +
      'import(new URL("./lib/tracking/mod.js", import.meta.url).href); import("npm:x");',
  );
  assert.equal(
    deferDynamicImports('import("../../chunk-X.js")', "lib/cli/main.js", known),
    'import(new URL("../../chunk-X.js", import.meta.url).href)',
  );
  // Text that only spells an import (an embedded file's escaped string) is left alone.
  assert.equal(deferDynamicImports('"import(\\"./a.js\\")"', "chunk-X.js", known), '"import(\\"./a.js\\")"');
  assert.throws(
    () => deferDynamicImports('import("./gone.js")', "chunk-X.js", known),
    /chunk-X\.js imports \.\/gone\.js, which the bundle does not hold/,
  );
});

Deno.test("the built bundle: no marker left, every URL it loads exists, the checkout it came from recorded", async () => {
  const dir = await kmlfBundle();
  let recorded = false;
  for (const file of (await bundleFiles(dir)).map((f) => join(dir, f))) {
    if (!file.endsWith(".js")) continue;
    const text = await Deno.readTextFile(file);
    assert.ok(!text.includes("@@kmlf:"), `${file} keeps a marker`);
    // Deno reads what a literal import() names when it loads the importer (bench/README.md).
    assert.doesNotMatch(text, /\bimport\("\.{1,2}\//, `${file} keeps a literal dynamic import`);
    // (.js modules and folders: the demo template's text also holds a data file URL)
    for (const m of text.matchAll(/new URL\("(\.{1,2}\/(?:[^"]*\.js|[^"]*\/)?)", import\.meta\.url\)/g)) {
      const target = join(dirname(file), m[1]);
      assert.ok(await Deno.stat(target).then(() => true, () => false), `${file}: ${m[1]} does not exist`);
    }
    if (text.includes(`BUNDLED_FROM = ${JSON.stringify(`file://${REPO}/`)}`)) recorded = true;
  }
  assert.ok(recorded, "lib/cli/bundle_info.ts was not stamped");
});

// kmlf writes YAML with PyYAML's emitter: js-yaml's dumper (~30 KB) would be loaded by every command that
// reads YAML (tools/vendor_js_yaml.ts says why the bundler alone cannot drop it).
Deno.test("the built bundle holds js-yaml's loader and not its dumper", async () => {
  const dir = await kmlfBundle();
  const texts = await Promise.all(
    (await bundleFiles(dir)).filter((f) => f.endsWith(".js")).map((f) => Deno.readTextFile(join(dir, f))),
  );
  const holding = (re: RegExp) => texts.filter((t) => re.test(t)).length;
  assert.equal(holding(/function loadDocuments\(/), 1, "js-yaml's loader");
  assert.equal(
    holding(/function writeNode\(|var ESCAPE_SEQUENCES\b|function chooseScalarStyle\(/),
    0,
    "its dumper",
  );
});

Deno.test("run from the bundle in a restarted project: its modules share kmlf's classes, stacks stop at kmlf", async () => {
  const dir = await demoProject({
    "pipelines/boom.yml": [
      "nodes:",
      "  - { name: raise_kmlf, func: ./lib/boom.ts#raiseKmlf, inputs: iris, outputs: a }",
      "  - { name: raise_plain, func: ./lib/boom.ts#raisePlain, inputs: iris, outputs: b }",
    ].join("\n") + "\n",
    "pipelines/lib/boom.ts": [
      'export { raiseKmlf } from "own-helpers";',
      'function deeper(): never { throw new TypeError("plain failure"); }',
      "export function raisePlain(_rows: unknown) { deeper(); }",
    ].join("\n") + "\n",
    "pipelines/lib/helpers.ts": [
      'import { KmlfError } from "kmlf";',
      "export function raiseKmlf(_rows: unknown) {",
      '  throw new KmlfError("user.boom", "boom from the project", { hint: "fix the project" });',
      "}",
    ].join("\n") + "\n",
  });
  try {
    // A package of the project's own makes kmlf restart inside the project's configuration.
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["own-helpers"] = "./pipelines/lib/helpers.ts";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const bundle = await kmlfBundle();
    const kmlfError = await bundledKmlf(["run", "boom", "--nodes", "raise_kmlf"], { cwd: dir });
    assert.equal(kmlfError.code, 1, kmlfError.stderr);
    assert.match(
      kmlfError.stderr,
      /error\[user\.boom\]: boom from the project\n {2}at pipelines\/boom\.yml:2:5 \(nodes\[0\]\)\n {2}hint: fix the project/,
    );
    const map = JSON.parse(await Deno.readTextFile(join(dir, ".kmlf/import_map.json")));
    assert.equal(map.imports.kmlf, new URL("mod.js", `file://${bundle}/`).href, "restarted under the bundle");
    const plain = (await bundledKmlf(["run", "boom", "--nodes", "raise_plain"], { cwd: dir })).stderr;
    assert.match(
      plain,
      /TypeError: plain failure\n {8}at deeper \(pipelines\/lib\/boom\.ts:2:34\)\n {8}at Node\.raisePlain/,
    );
    assert.doesNotMatch(plain, /chunk-|cli\.js/, "kmlf's own frames are cut");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('kmlf new from the bundle maps "kmlf" to the checkout\'s sources, for editors; kmlf info says where kmlf runs from', async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    const bundle = await kmlfBundle();
    const out = await bundledKmlf(["new", "p"], { cwd: parent });
    assert.equal(out.code, 0, out.stderr);
    const config = JSON.parse(await Deno.readTextFile(join(parent, "p", "deno.json")));
    assert.equal(config.imports.kmlf, `file://${REPO}/mod.ts`);
    assert.deepEqual(Object.keys(config.scopes), [`file://${REPO}/`]);
    const info = await bundledKmlf(["info"], { cwd: join(parent, "p") });
    assert.ok(
      info.stdout.includes(`runs from: the bundle in ${bundle}/, built from ${REPO}/ (`),
      info.stdout,
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

// lib/validation_cache.ts: the bundle's runs remember validated configuration under its BUILD_ID.
Deno.test("a bundled run remembers the configuration it validated; a file made wrong afterwards is still refused where it is wrong", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const bundle = await kmlfBundle();
    const stamped = (await Promise.all(
      (await bundleFiles(bundle)).filter((f) => f.endsWith(".js")).map((f) =>
        Deno.readTextFile(join(bundle, f))
      ),
    )).join("\n").match(/BUILD_ID = "([0-9a-f]{64})"/);
    assert.ok(stamped, "lib/cli/bundle_info.ts carries no BUILD_ID");
    assert.equal(
      stamped[1],
      await sourceFingerprint(REPO),
      "the bundle is not stamped with its sources' fingerprint",
    );
    const first = await bundledKmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const file = join(dir, ".kmlf/cache/validated.json");
    const saved = JSON.parse(await Deno.readTextFile(file));
    assert.equal(saved.fingerprint, stamped[1]);
    const ids = new Set(saved.entries.map(([key]: [string]) => key.split(" ")[0]));
    for (
      const id of [
        "settings",
        "mlflow.yml",
        "pipeline:file",
        "pipeline:node",
        "catalog:csv",
        "catalog:pickle",
      ]
    ) {
      assert.ok(ids.has(id), `${id} not remembered: ${[...ids].join(", ")}`);
    }
    const { mtime } = await Deno.stat(file);
    const second = await bundledKmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual((await Deno.stat(file)).mtime, mtime, "rewritten though every value was remembered");
    // A value changed since is validated again: the typo is reported at its line, with the fix.
    const pipeline = join(dir, "pipelines/training.yml");
    await Deno.writeTextFile(
      pipeline,
      (await Deno.readTextFile(pipeline)).replace("    tags: [training]", "    tagz: [training]"),
    );
    const typo = await bundledKmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(
      typo.stderr,
      /Unknown key "nodes\[1\]\.tagz"[^\n]*\n {2}at pipelines\/training\.yml:\d+:5[^\n]*\n {2}hint: did you mean "tags"\?/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bundle's fingerprint changes with every file it is built from, .js and assets too (the vendored zod validates)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-fingerprint-" });
  try {
    const files: Record<string, string> = {
      "cli.ts": "import './lib/a.ts';\n",
      "mod.ts": "export {};\n",
      "deno.json": "{}\n",
      "deno.lock": "{}\n",
      "lib/a.ts": "export const a = 1;\n",
      "lib/zod/_bundle.js": "export const z = {};\n",
      "lib/server/ui/src/app.css": "body {}\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
      await Deno.writeTextFile(join(dir, file), text);
    }
    const original = await sourceFingerprint(dir);
    assert.match(original, /^[0-9a-f]{64}$/);
    for (const file of Object.keys(files)) {
      await Deno.writeTextFile(join(dir, file), files[file] + "// changed\n");
      assert.notEqual(await sourceFingerprint(dir), original, `${file} changed, the fingerprint did not`);
      await Deno.writeTextFile(join(dir, file), files[file]);
    }
    assert.equal(await sourceFingerprint(dir), original);
    await Deno.rename(join(dir, "lib/a.ts"), join(dir, "lib/b.ts"));
    assert.notEqual(await sourceFingerprint(dir), original, "a file renamed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
