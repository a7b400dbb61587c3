/**
 * The Deno environment `kmlf models predict|serve` restart in when this kmlf does not give a model the
 * packages it pins: the command line it runs again, and the import map scoping the model's code to its pins.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { localArgv, modelImportMap } from "../../lib/cli/model_environment.ts";

Deno.test("the command runs again with --env-manager local in place of every environment flag", () => {
  assert.deepEqual(
    localArgv(["models", "predict", "-m", "m", "--env-manager", "conda", "-i", "x.json"]),
    ["models", "predict", "-m", "m", "-i", "x.json", "--env-manager", "local"],
  );
  assert.deepEqual(
    localArgv(["models", "serve", "--env-manager=uv", "-m", "m", "--no-conda"]),
    ["models", "serve", "-m", "m", "--env-manager", "local"],
  );
  assert.deepEqual(localArgv(["models", "predict", "--", "--no-conda"]), [
    "models",
    "predict",
    "--env-manager",
    "local",
    "--",
    "--no-conda",
  ]);
});

Deno.test("the model's code/ folder is scoped to its pins and kmlf; everything else keeps kmlf's imports", async () => {
  const base = await Deno.makeTempDir({ prefix: "kmlf-model-env-" });
  try {
    await Deno.mkdir(join(base, "real", "code"), { recursive: true });
    await Deno.symlink(join(base, "real"), join(base, "link"));
    const root = new URL("file:///opt/kmlf/");
    const map = modelImportMap(
      join(base, "link"),
      { zod: "npm:zod@3.23.8", argparse: "npm:argparse@2.0.1" },
      root,
    );
    assert.equal(map.imports.zod, "npm:zod@4.6.7");
    assert.equal(map.imports.kmlf, "file:///opt/kmlf/mod.ts");
    const real = Deno.realPathSync(join(base, "real"));
    assert.deepEqual(
      Object.keys(map.scopes).sort(),
      [
        `file://${join(base, "link", "code")}/`,
        `file://${join(real, "code")}/`,
      ].sort(),
    );
    for (const scope of Object.values(map.scopes)) {
      assert.deepEqual(scope, {
        zod: "npm:zod@3.23.8",
        "zod/": "npm:/zod@3.23.8/",
        argparse: "npm:argparse@2.0.1",
        "argparse/": "npm:/argparse@2.0.1/",
        kmlf: "file:///opt/kmlf/mod.ts",
      });
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
