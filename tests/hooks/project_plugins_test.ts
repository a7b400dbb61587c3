/**
 * Third-party plugins listed in kmlf.yml `plugins:`: hooks, dataset types and config resolvers join
 * the session like the built-in MLflow plugin; bad plugins are clear errors naming kmlf.yml.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";

const SHOUT_PLUGIN = `import type { Dataset, Plugin } from "../../../mod.ts";

class UpperTextDataset implements Dataset<string> {
  constructor(readonly filepath: string) {}
  async load() { return await Deno.readTextFile(this.filepath); }
  async save(text: string) {
    await Deno.mkdir(this.filepath.slice(0, this.filepath.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(this.filepath, text.toUpperCase());
  }
  async exists() { return await Deno.stat(this.filepath).then(() => true, () => false); }
  describe() { return { filepath: this.filepath }; }
}

export const plugin: Plugin = {
  name: "shout",
  resolvers: { "shout.twice": (args: unknown[]) => \`\${args[0]} \${args[0]}\` },
  registerDatasets(registry) {
    registry.register(["upper_text", "UpperTextDataset"], (args) =>
      new UpperTextDataset(String(args.filepath)));
  },
  hooks: ({ projectRoot }) => ({
    afterNodeRun({ node }) {
      Deno.writeTextFileSync(\`\${projectRoot}/hooked.txt\`, node.name + "\\n", { append: true });
    },
  }),
};
`;

const COUNTER_FACTORY = `export function counter({ kmlfVersion }: { kmlfVersion: string }) {
  let nodes = 0;
  return {
    name: "counter",
    hooks: () => ({
      afterNodeRun() { nodes++; },
      afterPipelineRun() { console.error(\`counter: \${nodes} nodes (kmlf \${kmlfVersion})\`); },
    }),
  };
}
`;

const SHOUT_PIPELINE = `nodes:
  - name: echo
    func: ./shout_nodes.ts#echo
    inputs: params:greeting
    outputs: shouted
`;

function pluginProject(settings: string, extra: Record<string, string> = {}) {
  return demoProject({
    "kmlf.yml": `name: iris\n${settings}`,
    "plugins/shout/plugin.ts": SHOUT_PLUGIN,
    "plugins/counter.ts": COUNTER_FACTORY,
    "pipelines/shout.yml": SHOUT_PIPELINE,
    "pipelines/shout_nodes.ts": "export const echo = (greeting: string) => greeting;\n",
    "conf/base/parameters.yml": (Deno.readTextFileSync(join(demoRoot, "conf/base/parameters.yml"))) +
      "greeting: ${shout.twice:hello}\n",
    "conf/base/catalog.yml": Deno.readTextFileSync(join(demoRoot, "conf/base/catalog.yml")) +
      "\nshouted:\n  type: upper_text\n  filepath: data/shouted.txt\n",
    ...extra,
  });
}

// The untracked demo's files (demoProject's defaults), read once from a throw-away copy.
const demoRoot = await demoProject();
globalThis.addEventListener("unload", () => Deno.removeSync(demoRoot, { recursive: true }));

Deno.test("plugins from kmlf.yml add hooks, dataset types and resolvers; a factory is called per session", async () => {
  const dir = await pluginProject(
    "plugins:\n  - ./plugins/shout/plugin.ts\n  - ./plugins/counter.ts#counter\n",
  );
  try {
    const r = await kmlf(["run", "shout"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(join(dir, "data/shouted.txt")), "HELLO HELLO");
    assert.equal(await Deno.readTextFile(join(dir, "hooked.txt")), "echo\n");
    assert.match(r.stderr, /counter: 1 nodes \(kmlf \d+\.\d+\.\d+\)/);
    const info = await kmlf(["info"], { cwd: dir });
    assert.match(info.stdout, /plugins: kmlf-mlflow, shout, counter/);
    assert.match(info.stdout, /dataset types: .*upper_text/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("disable_hooks_for_plugins turns a project plugin's hooks off but keeps its dataset type", async () => {
  const dir = await pluginProject(
    "plugins: [./plugins/shout/plugin.ts]\ndisable_hooks_for_plugins: [shout]\n",
  );
  try {
    const r = await kmlf(["run", "shout"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(join(dir, "data/shouted.txt")), "HELLO HELLO");
    assert.equal(await Deno.stat(join(dir, "hooked.txt")).catch(() => null), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const BAD: Record<string, { settings: string; files?: Record<string, string> }> = {
  "plugin-missing-module": { settings: "plugins: [./plugins/nope.ts]\n" },
  "plugin-unknown-export": { settings: "plugins: [./plugins/counter.ts#countr]\n" },
  "plugin-default-export-missing": { settings: "plugins: [./plugins/counter.ts]\n" },
  "plugin-not-an-object": {
    settings: "plugins: [./plugins/bad.ts]\n",
    files: { "plugins/bad.ts": "export const plugin = 42;\n" },
  },
  "plugin-unknown-member": {
    settings: "plugins: [./plugins/bad.ts]\n",
    files: { "plugins/bad.ts": 'export const plugin = { name: "bad", hook: () => ({}) };\n' },
  },
  "plugin-reuses-builtin-name": {
    settings: "plugins: [./plugins/bad.ts, ./plugins/counter.ts#counter]\n",
    files: { "plugins/bad.ts": 'export const plugin = { name: "kmlf-mlflow" };\n' },
  },
  "plugin-unmapped-package": { settings: "plugins: [kmlf-plugin-not-installed]\n" },
  // Kedro's dataset types are class paths, so two plugins never share one; here the later would win silently.
  "plugin-duplicate-dataset-type": {
    settings: "plugins: [./plugins/shout/plugin.ts, ./plugins/bad.ts]\n",
    files: {
      "plugins/bad.ts":
        'export const plugin = { name: "loud", registerDatasets(r) { r.register(["upper_text"], () => ({})); } };\n',
    },
  },
  "plugin-duplicate-resolver": {
    settings: "plugins: [./plugins/shout/plugin.ts, ./plugins/bad.ts]\n",
    files: {
      "plugins/bad.ts": 'export const plugin = { name: "loud", resolvers: { "shout.twice": () => 1 } };\n',
    },
  },
  "plugin-hooks-throw": {
    settings: "plugins: [./plugins/bad.ts]\n",
    files: {
      "plugins/bad.ts":
        'export const plugin = { name: "bad", hooks() { throw new Error("no webhook URL configured"); } };\n',
    },
  },
  "plugin-bad-ref": { settings: 'plugins: ["./a.ts#1x"]\n' },
  // Kedro ignores a DISABLE_HOOKS_FOR_PLUGINS name matching no plugin: the hooks meant to be off would run.
  "plugin-disabled-unknown": {
    settings: "plugins: [./plugins/shout/plugin.ts]\ndisable_hooks_for_plugins: [shot, kedro-mlflow]\n",
  },
  "plugin-hooks-snake-case": {
    settings: "plugins: [./plugins/bad.ts]\n",
    files: {
      "plugins/bad.ts": 'export const plugin = { name: "bad", hooks: () => ({ after_node_run() {} }) };\n',
    },
  },
};

for (const [name, { settings, files }] of Object.entries(BAD)) {
  Deno.test(`bad plugin: ${name}`, async () => {
    const dir = await pluginProject(settings, files);
    try {
      const r = await kmlf(["run", "shout"], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      await assertGolden(`errors/${name}`, `exit ${r.code}\n${normalize(r.stderr, dir)}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
