/** What a logged model's code/deno.json pins: the project's mapping of each bare import, then kmlf's. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { modelImports, projectAliases } from "../../lib/mlflow/model_pins.ts";

const KMLF = {
  zod: "npm:zod@4.6.7",
  fflate: "npm:fflate@0.8.3",
  "csv-parse/sync": "npm:csv-parse@7.0.3/sync",
};

// A subpath import ("zod/v4") resolves through the package's deno.json entry, as Deno maps it: the model pins
// the version the project ran it with (it was left unpinned, or pinned at kmlf's version of the package).
Deno.test("modelImports pins subpath imports as the project's deno.json (or kmlf's) maps the package", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pins-" });
  try {
    await Deno.writeTextFile(
      join(dir, "deno.jsonc"),
      '{\n  // mine\n  "imports": { "zod": "npm:zod@3.25.0", "@s/p": "npm:@s/p@1.2.3", "std/": "jsr:/@std/path@1/", },\n}\n',
    );
    const { pins, aliased } = modelImports(
      ["zod/v4", "@s/p/sub", "std/join", "fflate/x", "csv-parse/sync"],
      dir,
      KMLF,
    );
    assert.deepEqual(pins, {
      "zod/": "npm:/zod@3.25.0/",
      "@s/p/": "npm:/@s/p@1.2.3/",
      "std/": "jsr:/@std/path@1/",
      "fflate/": "npm:/fflate@0.8.3/",
      "csv-parse/sync": "npm:csv-parse@7.0.3/sync",
    });
    assert.deepEqual(aliased, []);
    // An import map file maps only what it says: kmlf's zod subpaths do not stand in for the project's zod.
    await Deno.writeTextFile(join(dir, "deno.jsonc"), '{ "importMap": "./map.json" }');
    await Deno.writeTextFile(join(dir, "map.json"), '{ "imports": { "zod": "npm:zod@3.25.0" } }');
    assert.deepEqual(modelImports(["zod/v4", "fflate/x"], dir, KMLF).pins, {
      "fflate/": "npm:/fflate@0.8.3/",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("projectAliases maps the project's aliases to its files, relative to the import map file that names them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pins-" });
  try {
    await Deno.mkdir(join(dir, "maps"));
    await Deno.writeTextFile(join(dir, "deno.json"), '{"importMap": "maps/import_map.json"}');
    await Deno.writeTextFile(
      join(dir, "maps", "import_map.json"),
      '{"imports": {"@/": "../src/", "#util": "../lib/util.ts", "zod": "npm:zod@4.6.7"}}',
    );
    const alias = projectAliases(dir);
    assert.deepEqual(alias("@/a/b.ts"), {
      file: join(dir, "src", "a", "b.ts"),
      key: "@/",
      target: `${join(dir, "src")}/`,
    });
    assert.deepEqual(alias("#util"), {
      file: join(dir, "lib", "util.ts"),
      key: "#util",
      target: join(dir, "lib", "util.ts"),
    });
    for (const spec of ["zod", "./x.ts", "npm:zod@4.6.7", "other"]) {
      assert.equal(alias(spec), undefined, spec);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
