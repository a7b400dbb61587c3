/**
 * Notes a dataset type reports with `ctx.warn` (a plugin's type as well as kmlf's): located at the key
 * they are about, and a note kmlf cannot show (a plugin in JavaScript passing a string, or no code) is a
 * clear error at the entry rather than a `warning[undefined]`.
 */
import assert from "node:assert/strict";
import {
  builtinRegistry,
  Catalog,
  type DatasetRegistry,
  MemoryDataset,
  type PartitionLoaders,
  TextDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

// A plugin's type that warns as its entry's `note` argument says, with what a JavaScript plugin may pass.
function noisyRegistry(): DatasetRegistry {
  const registry = builtinRegistry();
  registry.register(["noisy"], (args, ctx) => {
    const warn = ctx.warn as unknown as (keyPath: unknown, note: unknown) => void;
    const good = { code: "catalog/old-level", message: `level of "${ctx.name}" is old`, hint: "use 2" };
    const notes: Record<string, [unknown, unknown]> = {
      good: [["level"], good],
      text: [["level"], "level is old"],
      uncoded: [["level"], { message: "level is old", hint: "use 2" }],
      spread: ["level", good],
    };
    warn(...notes[args.note as string]);
    return new MemoryDataset({ data: args.level });
  });
  return registry;
}

async function build(note: string) {
  const yaml = `a: {type: json, filepath: a.json}\nn:\n  type: noisy\n  level: 1\n  note: ${note}\n`;
  return await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p", registry: noisyRegistry() });
}

Deno.test("a dataset type's note is a warning at the key it names, with its code, message and hint", async () => {
  const catalog = await build("good");
  assert.deepEqual(
    catalog.warnings.map((w) => w.problems.map((p) => [w.name, p.code, p.message, p.hint, p.source?.line])),
    [[["n", "catalog/old-level", 'level of "n" is old', "use 2", 4]]],
  );
  assert.ok(catalog.warnings[0].note);
});

Deno.test("a note kmlf cannot show fails the entry with catalog/bad-note, saying what is wrong", async () => {
  const cases: [string, RegExp][] = [
    ["text", /the note is the text "level is old", not \{code, message, hint\}/],
    ["uncoded", /its code is missing, not a text/],
    // A key path given as one string would be spread into letters and located nowhere.
    ["spread", /its key path is the text "level", not a list of keys/],
  ];
  for (const [note, message] of cases) {
    await assert.rejects(build(note), (error: unknown) => {
      assert.ok(error instanceof DatasetError, String(error));
      assert.equal(error.code, "catalog/bad-note");
      assert.match(error.message, /^Dataset type "noisy" passed warn\(\) a note kmlf cannot show: /);
      assert.match(error.message, message);
      assert.equal(error.source?.line, 3); // the entry
      assert.match(error.hint ?? "", /ctx\.warn\(\["key"\]/);
      return true;
    });
  }
});

// A partitioned entry builds its dataset once with the catalog (where its notes are taken), then again for
// each partition it loads or saves: those builds say the same again, and the run's warning must not grow.
Deno.test("a partition's dataset, built again for each partition, adds nothing to the entry's warning", async () => {
  await inTempDir(async (root) => {
    const registry = builtinRegistry();
    registry.register(["noisy_text"], (args, ctx) => {
      ctx.warn?.(["mode"], {
        code: "catalog/old-mode",
        message: `old mode in "${ctx.name}"`,
        hint: "drop mode",
      });
      return new TextDataset({ filepath: args.filepath as string });
    });
    const yaml = "parts:\n  type: partitioned\n  path: p\n  filename_suffix: .txt\n" +
      "  dataset: {type: noisy_text, mode: old}\n";
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root, registry });
    const seen = () => catalog.warnings.map((w) => [w.name, w.problems.map((p) => p.message)]);
    assert.deepEqual(seen(), [["parts", ['old mode in "parts"']]]);
    await catalog.save("parts", { a: "1", b: "2" });
    for (const load of Object.values(await catalog.load("parts") as PartitionLoaders)) await load();
    assert.deepEqual(seen(), [["parts", ['old mode in "parts"']]]);
  });
});

// A type whose dataset keeps its factory's context and warns from load (a plugin author's natural move): the
// note is delivered when given, once per text, at the key it names; a malformed one fails that load.
function lateRegistry(): DatasetRegistry {
  const registry = builtinRegistry();
  registry.register(["late"], (args, ctx) => ({
    load: () => {
      const warn = ctx.warn as unknown as (keyPath: unknown, note: unknown) => void;
      if (args.note === "text") warn(["level"], "level is old");
      else {warn(["level"], {
          code: "catalog/old-level",
          message: `level of "${ctx.name}" is old`,
          hint: "use 2",
        });}
      return Promise.resolve(args.level);
    },
    save: () => Promise.resolve(),
    exists: () => Promise.resolve(true),
    describe: () => ({}),
  }));
  return registry;
}

Deno.test("a note a dataset gives from its load is delivered then, once, at its key; a malformed one fails the load", async () => {
  const yaml =
    "n:\n  type: late\n  level: 1\n'{x}_late':\n  type: late\n  level: 2\nbad: {type: late, level: 3, note: text}\n";
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), {
    projectRoot: "/p",
    registry: lateRegistry(),
  });
  assert.equal(catalog.warnings.length, 0, "nothing was said while the entries built");
  const heard: string[] = [];
  catalog.onWarning((w) =>
    heard.push(`${w.name}: ${w.problems.map((p) => `${p.code} ${p.source?.line}`)} (${w.note})`)
  );
  assert.equal(await catalog.load("n"), 1);
  assert.deepEqual(heard, ["n: catalog/old-level 3 (given by its dataset after the entry was built)"]);
  await catalog.load("n");
  assert.equal(await catalog.load("a_late"), 2);
  assert.deepEqual(heard, [
    "n: catalog/old-level 3 (given by its dataset after the entry was built)",
    "a_late: catalog/old-level 6 (given by its dataset after the entry was built)",
  ]);
  assert.deepEqual(catalog.warnings.map((w) => w.problems[0].message), [
    'level of "n" is old',
    'level of "a_late" is old',
  ]);
  await assert.rejects(catalog.load("bad"), (error: unknown) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.code, "catalog/bad-note");
    assert.match(
      error.message,
      /^Cannot load dataset "bad" \(late\): Dataset type "late" passed warn\(\) a note kmlf/,
    );
    assert.equal(error.source?.line, 7); // the entry
    return true;
  });
});
