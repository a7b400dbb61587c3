import assert from "node:assert/strict";
import { join } from "node:path";
import { findProjectRoot, loadProjectSettings, resolveEnv } from "../../lib/config/mod.ts";
import type { ConfigError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";

Deno.test("the project root is found by walking up to kmlf.yml", async () => {
  await withTree({ "kmlf.yml": "name: p\n", "pipelines/sub/x.txt": "" }, async (dir) => {
    assert.equal(await findProjectRoot(join(dir, "pipelines/sub")), dir);
  });
  assert.equal(await findProjectRoot("/"), undefined);
});

Deno.test("settings get defaults and absolute paths; hooks refs are parsed", async () => {
  await withTree({ "kmlf.yml": "name: demo\nhooks: ['./hooks.ts#timing']\n" }, async (dir) => {
    const s = await loadProjectSettings(dir);
    assert.equal(s.defaultEnv, "local");
    assert.equal(s.confSource, join(dir, "conf"));
    assert.equal(s.pipelinesDir, join(dir, "pipelines"));
    assert.deepEqual(s.hooks.map((h) => [h.module, h.exportName]), [[join(dir, "hooks.ts"), "timing"]]);
    assert.equal(s.hooks[0].source.line, 2);
  });
});

Deno.test("settings errors: unknown key with did-you-mean, bad hook ref, bad name, missing file", async () => {
  await withTree({ "kmlf.yml": "name: demo\npipeline_dir: x\n" }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), (e: ConfigError) => {
      assert.equal(e.code, "settings/invalid");
      assert.match(e.hint!, /did you mean "pipelines_dir"/);
      assert.equal(e.source?.line, 2);
      return true;
    });
  });
  await withTree({ "kmlf.yml": "name: demo\nhooks: [hooks.ts]\n" }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), /must look like/);
  });
  await withTree({ "kmlf.yml": "name: 1bad name\n" }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), /must start with a letter/);
  });
  await withTree({ "x.yml": "" }, async (dir) => {
    await assert.rejects(() => loadProjectSettings(dir), (e: ConfigError) => e.code === "project/not-found");
  });
});

Deno.test("env resolution: flag, then KMLF_ENV, then default_env; bad names are refused", async () => {
  await withTree({ "kmlf.yml": "name: demo\ndefault_env: dev\n" }, async (dir) => {
    const settings = await loadProjectSettings(dir);
    assert.equal(resolveEnv({ flag: "prod", envVar: "stage", settings }), "prod");
    assert.equal(resolveEnv({ envVar: "stage", settings }), "stage");
    assert.equal(resolveEnv({ settings }), "dev");
    assert.throws(
      () => resolveEnv({ flag: "../etc", settings }),
      (e: ConfigError) => e.code === "config/bad-env",
    );
  });
});
