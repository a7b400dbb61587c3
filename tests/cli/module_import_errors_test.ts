/**
 * A project module that fails to import — Deno's own failures (a package that does not exist or cannot be
 * downloaded or cached, an outdated frozen deno.lock, an unmapped bare specifier, a syntax error, a missing
 * file) and the module's own top-level throw — gives one explanation wherever kmlf imports project code:
 * node modules, hooks, custom dataset and flavor classes, plugins, request header providers. Real modules
 * in temp projects; the failures are Deno's own.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, DatasetError, KmlfError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { importHooks } from "../../lib/hooks/hook_manager.ts";
import { importPlugins } from "../../lib/session/project_plugins.ts";
import { createCustomDataset } from "../../lib/catalog/custom_type.ts";
import { resolveFlavor } from "../../lib/mlflow/flavors/resolve_flavor.ts";
import { loadHeaderProvider, parseMlflowConfig } from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import type { DatasetFactoryContext } from "../../lib/catalog/dataset_factory.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const NODES = "pipelines/iris/nodes.ts";
// A name no one has published (npm refuses new names this close to existing ones only for popular ones).
const NO_SUCH = "kmlf-no-such-package-hunt17-x9";

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-import-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

async function failureOf(run: () => Promise<unknown>): Promise<KmlfError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof KmlfError) return error;
    throw error;
  }
  assert.fail("expected the import to fail");
}

Deno.test("a node module's failed import names the import, why it failed and the fix, for each kind", async () => {
  const cases: { name: string; files: Record<string, string>; message: RegExp; hint: RegExp }[] = [
    {
      name: "a package that does not exist on the registry",
      files: { [NODES]: `import x from "npm:${NO_SUCH}";\nexport const splitData = x;\n` },
      message: new RegExp(
        `Cannot import ${NODES}: npm package "${NO_SUCH}" does not exist on the registry \\(imported at ${NODES}:1:15\\)`,
      ),
      hint: /hint: fix the package name in the import or in the project's deno\.json imports/,
    },
    {
      name: "a bare specifier deno.json does not map",
      files: { [NODES]: 'import pad from "left-pad-h17/lib";\nexport const splitData = pad;\n' },
      message: new RegExp(
        `Cannot import ${NODES}: "left-pad-h17/lib" is not mapped in the project's deno\\.json \\(imported at ${NODES}:1:17\\)`,
      ),
      hint: /hint: add it to the project: `deno add npm:left-pad-h17` in the project folder/,
    },
    {
      name: "a relative import of a file that is not there",
      files: { [NODES]: 'import { y } from "./helpers.ts";\nexport const splitData = y;\n' },
      message: new RegExp(
        `Cannot import ${NODES}: pipelines/iris/helpers\\.ts does not exist \\(imported at ${NODES}:1:19\\)`,
      ),
      hint: new RegExp(`hint: fix the import path at ${NODES}:1:19: it is relative to the importing file`),
    },
    {
      name: "a syntax error in a module it imports",
      files: {
        [NODES]: 'export { splitData } from "./broken.ts";\n',
        "pipelines/iris/broken.ts": "export const a = 1;\nexport function splitData( {\n",
      },
      message: new RegExp(`Cannot import ${NODES}: syntax error at pipelines/iris/broken\\.ts:2:29\n`),
      hint:
        /caused by: SyntaxError: Unexpected token[\s\S]*hint: fix the syntax error \(`deno check pipelines\/iris\/broken\.ts`/,
    },
    {
      name: "a throw at the top level",
      files: { [NODES]: 'throw new RangeError("MODEL_DIR is not set");\n' },
      message: new RegExp(
        `Cannot import ${NODES}: MODEL_DIR is not set\n.*\n {4}RangeError: MODEL_DIR is not set`,
      ),
      hint: /hint: the module threw while it was imported/,
    },
  ];
  for (const c of cases) {
    const dir = await demoProject(c.files);
    try {
      const r = await kmlf(["run", "training", "-q"], { cwd: dir });
      assert.equal(r.code, 2, `${c.name}: ${r.stderr}`);
      assert.match(r.stderr, /error\[pipeline\/module-failed\]/, c.name);
      assert.match(r.stderr, c.message, c.name);
      assert.match(r.stderr, c.hint, c.name);
      assert.doesNotMatch(r.stderr, /file:\/\//, `${c.name}: paths, not URLs`);
      assert.ok(!r.stderr.includes("\u001b["), `${c.name}: no colors`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a node module importing a package a frozen deno.lock does not hold says to update the lockfile", async () => {
  const dir = await demoProject({ [NODES]: "export const splitData = 1;\n" });
  try {
    // The project maps a package of its own (so kmlf runs inside its configuration) and its lock matches
    // deno.json, so kmlf starts; the node module's own import is what the frozen lock lacks.
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["is-number"] = "npm:is-number@7.0.0";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config));
    const locked = await new Deno.Command(Deno.execPath(), { args: ["install", "--quiet"], cwd: dir })
      .output();
    assert.ok(locked.success, new TextDecoder().decode(locked.stderr));
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify({ ...config, lock: { frozen: true } }));
    await Deno.writeTextFile(
      join(dir, NODES),
      'import isNumber from "npm:is-number@6.0.0";\nexport const splitData = isNumber;\n',
    );
    const r = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `error\\[pipeline/module-failed\\]: Cannot import ${NODES}: The lockfile is out of date: deno\\.lock lacks npm:is-number@6\\.0\\.0\n`,
      ),
    );
    assert.match(
      r.stderr,
      /hint: deno\.json freezes deno\.lock .*`deno install --frozen=false` in the project/,
    );
    assert.doesNotMatch(r.stderr, /changes:|\n\s+\d+ \| [-+]/, "no lockfile diff");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a package Deno cannot download or cache points at the network and DENO_DIR", async () => {
  // A DENO_DIR below a file cannot be created: Deno fails to cache the package, as with a read-only one.
  const dir = await tempProject({
    "deno.json": '{ "imports": { "is-number": "npm:is-number@7.0.0" } }\n',
    "nodes.ts": 'import isNumber from "is-number";\nexport const f = isNumber;\n',
    "probe.ts": `import { importFailure } from ${
      JSON.stringify(new URL("../../lib/import_failure.ts", import.meta.url).href)
    };
const module = new URL("./nodes.ts", import.meta.url).href;
try { await import(module); console.log("{}"); }
catch (error) { const f = importFailure(error, { module }); console.log(JSON.stringify({ kind: f.kind, reason: f.reason, hint: f.hint })); }
`,
    "cache/not-a-folder": "",
  });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", "probe.ts"],
      cwd: dir,
      env: { DENO_DIR: join(dir, "cache/not-a-folder/deno"), NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const failure = JSON.parse(text);
    assert.equal(failure.kind, "download", text);
    assert.match(
      failure.reason,
      /package "is-number": Not a directory \(os error 20\) \(imported at .*nodes\.ts:1:22\)/,
    );
    assert.match(
      failure.hint,
      /check the network .* and that DENO_DIR \(.*not-a-folder\/deno\) is a folder you can write to/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hooks, plugins, custom datasets, flavors and header providers explain a failed import the same way", async () => {
  const broken =
    `import x from "npm:${NO_SUCH}";\nexport class K { requestHeaders() { return {}; } }\nexport const hooks = x;\n`;
  const dir = await tempProject({ "mod.ts": broken, "throws.ts": "throw new Error('no token');\n" });
  const file = join(dir, "mod.ts");
  // Deno says "does not exist" (and where) the first time; later imports of the package in the same
  // process say it "could not be resolved", with or without the position.
  const why = new RegExp(
    `npm package "${NO_SUCH}" (does not exist on the registry|could not be resolved)( \\(imported at ${file}:1:15\\))?$`,
  );
  try {
    const source = { file: join(dir, "kmlf.yml"), line: 3, column: 9 };
    const failures: [string, KmlfError][] = [
      [
        "hooks/import-failed",
        await failureOf(() => importHooks([{ module: file, exportName: "hooks", source }])),
      ],
      [
        "plugins/import-failed",
        await failureOf(() =>
          importPlugins(
            [{ specifier: pathToFileURL(file).href, exportName: "plugin", written: "./mod.ts", source }],
            { kmlfVersion: "0", projectRoot: dir },
          )
        ),
      ],
      [
        "catalog/custom-import-failed",
        await failureOf(() =>
          createCustomDataset(
            "./mod.ts#K",
            {},
            { name: "d", projectRoot: dir } as DatasetFactoryContext,
            source,
          )
        ),
      ],
      [
        "mlflow/flavor-import-failed",
        await failureOf(() =>
          resolveFlavor("./mod.ts#K", { projectRoot: dir, builtins: {}, dataset: "m", source })
        ),
      ],
      ["mlflow/header-provider-import", await failureOf(() => headerProvider(dir, "./mod.ts#K"))],
    ];
    assert.match(
      failures[0][1].message,
      new RegExp(`does not exist on the registry \\(imported at ${file}:1:15\\)$`),
    );
    for (const [code, error] of failures) {
      assert.ok(error instanceof ConfigError || error instanceof DatasetError, code);
      assert.equal(error.code, code);
      assert.match(error.message, why, `${code}: ${error.message}`);
      assert.match(error.hint ?? "", /fix the package name/, code);
      assert.doesNotMatch(renderError(error, { relativeTo: dir }), /caused by/, `${code}: said once`);
    }
    // A top-level throw is the module's own: its message and frames, wherever it is imported.
    const thrown = await failureOf(() => headerProvider(dir, "./throws.ts#K"));
    assert.match(thrown.message, /Cannot import request_header_provider module \.\/throws\.ts: no token/);
    assert.match(renderError(thrown, { relativeTo: dir }), /Error: no token\n\s+at throws\.ts:1:7/);
    // A provider module that is not there keeps its own hint.
    const missing = await failureOf(() => headerProvider(dir, "./nope.ts#K"));
    assert.match(missing.message, /nope\.ts does not exist$/);
    assert.match(missing.hint ?? "", /relative to the project root/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function headerProvider(dir: string, type: string) {
  const src = parseYaml(
    `server:\n  request_header_provider:\n    type: "${type}"\n`,
    join(dir, "conf/base/mlflow.yml"),
  );
  const config = parseMlflowConfig(
    { data: src.value as Record<string, unknown>, files: [src.file], locate: src.locate },
    { projectName: "p" },
  );
  return await loadHeaderProvider(config, { projectRoot: dir, env: "local" });
}
