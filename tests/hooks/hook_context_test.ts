/**
 * afterContextCreated gets what Kedro's KedroContext gives a project hook: the parameters (runtime params
 * included) and any config type, environments merged — Kedro's pyspark starter reads `spark.yml` there.
 */
import assert from "node:assert/strict";
import { KmlfSession, type Plugin } from "../../mod.ts";
import { writeProject } from "../models/model_helpers.ts";

// Kedro's SparkHooks, as a kmlf project hook.
const SPARK_HOOKS = `import type { Hooks } from "kmlf";
export const seen: unknown[] = [];
export class SparkHooks implements Hooks {
  async afterContextCreated({ context }: Parameters<NonNullable<Hooks["afterContextCreated"]>>[0]) {
    const spark = await context.loadConfig("spark");
    seen.push({ spark, lr: (context.params.model as { lr: number }).lr, env: context.env, runId: context.runId });
  }
}
`;

Deno.test("afterContextCreated reads parameters and a config type (Kedro's SparkHooks reading spark.yml)", async () => {
  const root = await writeProject({
    "kmlf.yml": "name: sparkish\nhooks: [./hooks.ts#SparkHooks]\n",
    "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
    "hooks.ts": SPARK_HOOKS,
    "conf/base/spark.yml": "spark.master: local[*]\nspark.driver.memory: ${globals:memory}\n",
    "conf/base/globals.yml": "memory: 2g\n",
    "conf/local/spark.yml": "spark.driver.memory: 4g\n",
    "conf/base/parameters.yml": "model:\n  lr: 0.1\n",
    "conf/base/catalog.yml": "{}\n",
    "pipelines/p.yml":
      "nodes:\n  - name: n\n    func: ./nodes.ts#id\n    inputs: params:model\n    outputs: out\n",
    "pipelines/nodes.ts": "export const id = (m: unknown) => m;\n",
  });
  try {
    const session = await KmlfSession.create({ projectRoot: root, runtimeParams: { model: { lr: 0.5 } } });
    await session.run({ pipelineNames: "p" });
    const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
    assert.deepEqual(seen, [{
      spark: { "spark.master": "local[*]", "spark.driver.memory": "4g" },
      lr: 0.5,
      env: "local",
      runId: session.runId,
    }]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// Kedro hook code that reads the context's config loader and catalog, ported to kmlf.
const CONTEXT_HOOKS = `import type { Hooks, HookContext } from "kmlf";
export const seen: unknown[] = [];
let saved: HookContext | undefined;
export const hooks: Hooks = {
  async afterContextCreated({ context }) {
    saved = context;
    seen.push(["keys", Object.keys(context).sort(), JSON.parse(JSON.stringify(context)).catalog]);
    const { data, files } = await context.configLoader.get("spark");
    seen.push(["configLoader", context.configLoader.env, context.configLoader.baseEnv, data, files.length]);
    const first = await context.catalog; // Kedro: context.catalog inside after_context_created
    const second = await context.catalog;
    seen.push(["catalogs", first === second, first.names(), await first.load("params:model")]);
  },
  afterCatalogCreated({ catalog, saveVersion }) {
    seen.push(["afterCatalogCreated", catalog.names().includes("companies"), saveVersion]);
  },
  async beforePipelineRun({ catalog }) {
    const again = await saved!.catalog;
    seen.push(["later", again === catalog, again.names().includes("companies")]);
  },
};
`;

Deno.test("afterContextCreated's context has Kedro's config_loader and catalog: every catalog read builds one and fires afterCatalogCreated", async () => {
  const root = await writeProject({
    "kmlf.yml": "name: ctx\nhooks: [./hooks.ts#hooks]\n",
    "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
    "hooks.ts": CONTEXT_HOOKS,
    "conf/base/spark.yml": "spark.master: local[*]\n",
    "conf/local/spark.yml": "spark.driver.memory: 4g\n",
    "conf/base/parameters.yml": "model:\n  lr: 0.1\n",
    "conf/base/catalog.yml": "companies:\n  type: json.JSONDataset\n  filepath: data/companies.json\n",
    "data/companies.json": "[]\n",
    "pipelines/p.yml":
      "nodes:\n  - name: n\n    func: ./nodes.ts#id\n    inputs: [companies, params:model]\n    outputs: out\n",
    "pipelines/nodes.ts": "export const id = (c: unknown, m: unknown) => [c, m];\n",
  });
  try {
    const session = await KmlfSession.create({ projectRoot: root, runtimeParams: { model: { lr: 0.5 } } });
    await session.run({ pipelineNames: "p" });
    const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
    const id = session.runId;
    assert.deepEqual(seen, [
      [
        "keys",
        ["configLoader", "env", "loadConfig", "params", "projectName", "projectPath", "runId"],
        undefined,
      ],
      ["configLoader", "local", "base", { "spark.master": "local[*]", "spark.driver.memory": "4g" }, 2],
      ["afterCatalogCreated", true, id],
      ["afterCatalogCreated", true, id],
      ["catalogs", false, ["companies", "parameters", "params:model", "params:model.lr"], { lr: 0.5 }],
      ["afterCatalogCreated", true, id], // the run's own catalog
      ["afterCatalogCreated", true, id], // read from beforePipelineRun: a new one again
      ["later", false, true],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// A hook changing what it read, as Kedro code may (Kedro's context.params is a fresh dict on every read).
const MUTATING_HOOKS = `import type { Hooks } from "kmlf";
export const hooks: Hooks = {
  async afterContextCreated({ context }) {
    (context.params.model as { lr: number }).lr = 9;
    ((await context.loadConfig("parameters")).model as { lr: number }).lr = 8;
    ((await context.configLoader.get("parameters")).data.model as { lr: number }).lr = 7;
  },
  afterCatalogCreated({ parameters, confCatalog }) {
    (parameters.model as { lr: number }).lr = 6;
    delete confCatalog.companies;
  },
};
`;

Deno.test("what hooks read of the context and the catalog config are copies: changing them changes nothing of the run", async () => {
  const root = await writeProject({
    "kmlf.yml": "name: ctx\nhooks: [./hooks.ts#hooks]\n",
    "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
    "hooks.ts": MUTATING_HOOKS,
    "conf/local/.keep": "",
    "conf/base/parameters.yml": "model:\n  lr: 0.1\n",
    "conf/base/catalog.yml": "companies:\n  type: json.JSONDataset\n  filepath: data/companies.json\n",
    "data/companies.json": "[]\n",
    "pipelines/p.yml":
      "nodes:\n  - name: n\n    func: ./nodes.ts#pair\n    inputs: [companies, params:model]\n" +
      "    outputs: out\n",
    "pipelines/nodes.ts": "export const pair = (c: unknown, m: unknown) => [c, m];\n",
  });
  try {
    // A plugin reading config (its context's loadConfig) and changing it, too.
    const plugin: Plugin = {
      name: "tinkering",
      async hooks(context) {
        ((await context.loadConfig("parameters")).data.model as { lr: number }).lr = 5;
        return {};
      },
    };
    const session = await KmlfSession.create({ projectRoot: root, plugins: [plugin] });
    const result = await session.run({ pipelineNames: "p" });
    assert.deepEqual(await result.outputs.out.load(), [[], { lr: 0.1 }]);
    // The next catalog (a script's, or context.catalog) is built from the config as written.
    const catalog = await session.catalog();
    assert.ok(catalog.names().includes("companies"));
    assert.deepEqual(await catalog.load("params:model"), { lr: 0.1 });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
