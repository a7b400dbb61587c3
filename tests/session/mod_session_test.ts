/**
 * A session made from a script through `"kmlf"` (mod.ts) runs like `kmlf run`: the built-in kmlf-mlflow
 * plugin is there, so a catalog using mlflow_* types (the `kmlf new` demo's does) loads and the run is
 * tracked; wrong arguments of create/run are named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CatalogWarning,
  type CreateExperimentOptions,
  type CreateRunOptions,
  type DatasetInput,
  type DatasetTypeDefinition,
  type ExperimentsPage,
  type HookName,
  type HookOrigin,
  type KeyValueInput,
  KmlfSession,
  type LifecycleStage,
  type MetricHistoryOptions,
  MlflowClient,
  type NodeCompletedEvent,
  type NodeFailedEvent,
  type NodeScope,
  type NodeStartedEvent,
  type NodeTiming,
  type ProjectSettings,
  type RegisterOptions,
  type RunnerConstructorOptions,
  type RunnerFlags,
  type RunnerKind,
  type RunnerOptions,
  type RunReporter,
  type SearchExperimentsOptions,
  type UpdateRunOptions,
  UsageError,
} from "../../mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const FILES: Record<string, string> = {
  "kmlf.yml": "name: scripted\n",
  "conf/base/catalog.yml": "score:\n  type: mlflow_metric\n",
  "conf/base/parameters.yml": "x: 0.75\n",
  "conf/base/mlflow.yml": "server:\n  mlflow_tracking_uri: mlflow.db\n",
  "conf/local/.keep": "",
  "pipelines/score.yml":
    "nodes:\n  - name: score\n    func: ./nodes.ts#score\n    inputs: params:x\n    outputs: score\n",
  "pipelines/nodes.ts": "export const score = (x: number) => x;\n",
};

Deno.test("KmlfSession from mod.ts has the kmlf-mlflow plugin: mlflow_* datasets load and the run is tracked", async () => {
  const root = await writeProject(FILES);
  try {
    const session = await KmlfSession.create({ projectRoot: root });
    await session.run({ pipelineNames: "score" });
    const client = await MlflowClient.open(`sqlite:///${join(root, "mlflow.db")}`, {
      baseDir: root,
      processHooks: false,
    });
    try {
      const experiment = await client.getExperimentByName("scripted");
      const { runs } = await client.searchRuns(experiment!.experimentId);
      assert.equal(runs.length, 1);
      assert.equal(runs[0].data.metrics.score, 0.75);
    } finally {
      await client.close();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("KmlfSession.create without { projectRoot } says what to pass", async () => {
  for (const options of [undefined, "/tmp"]) {
    await assert.rejects(
      () => KmlfSession.create(options as never),
      (e: unknown) =>
        e instanceof UsageError && e.code === "session/no-project-root" && /projectRoot/.test(e.hint ?? ""),
    );
  }
});

Deno.test("session.run and KmlfSession.create refuse options a script mistyped, before anything runs", async () => {
  const root = await writeProject({
    ...FILES,
    "conf/base/mlflow.yml": "tracking:\n  disable_tracking:\n    pipelines: [score, other]\n",
    "pipelines/other.yml":
      "nodes:\n  - name: other\n    func: ./nodes.ts#fail\n    inputs: params:x\n    outputs: never\n",
    "pipelines/nodes.ts":
      'export const score = (x: number) => x;\nexport const fail = (_x: number) => { throw new Error("ran"); };\n',
  });
  const refused = (code: string, ...mentions: RegExp[]) => (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, code);
    for (const m of mentions) assert.match(`${e.message} | ${e.hint}`, m);
    return true;
  };
  try {
    // Each of these used to run __default__ (every pipeline: "other" fails), split a string into characters
    // (values.join is not a function), or ignore the runner silently.
    const cases: [unknown, RegExp[]][] = [
      ["score", [/takes an options object, got the string "score"/, /pipelineNames/]],
      [null, [/got null/]],
      [{ pipeline_name: "score" }, [/no option "pipeline_name"/, /"pipeline_name" is "pipelineNames"/]],
      [{ pipelineNames: ["score"], node_names: ["score"] }, [/"node_names" is "nodeNames"/]],
      [{ pipelineName: "score" }, [/"pipelineName" is "pipelineNames"/]],
      [{ pipelineNames: 5 }, [/pipelineNames is number 5/, /a list of names/]],
      [{ pipelineNames: ["score"], tags: [1] }, [/tags is an array/]],
      [{ pipelineNames: ["score"], runner: "ParallelRunner" }, [/runner is the string/, /resolveRunner/]],
      [{ pipelineNames: ["score"], runner: { kind: "turbo" } }, [/runner is/, /"sequential" \| "parallel"/]],
      [{ pipelineNames: ["score"], loadVersions: ["model"] }, [/loadVersions is an array/]],
      [{ pipelineNames: ["score"], onlyMissingOutputs: "yes" }, [/onlyMissingOutputs is the string/]],
      [{ pipelineNames: ["score"], signal: {} }, [/signal is/, /AbortSignal/]],
      [{ pipelineNames: ["score"], nodeScope: "console" }, [/nodeScope is/, /a function/]],
    ];
    for (const [options, mentions] of cases) {
      const session = await KmlfSession.create({ projectRoot: root });
      await assert.rejects(() => session.run(options as never), refused("session/bad-option", ...mentions));
    }
    // One name as a string is that name, for every list option as for pipelineNames.
    const session = await KmlfSession.create({ projectRoot: root });
    const result = await session.run({ pipelineNames: "score", nodeNames: "score" as never, tags: [] });
    assert.deepEqual(Object.keys(result.outputs), ["score"]);

    const creates: [unknown, RegExp[]][] = [
      [{ projectRoot: root, runtime_params: { x: 1 } }, [/no option "runtime_params"/, /"runtimeParams"/]],
      [{ projectRoot: root, project_path: root }, [/"project_path" is "projectRoot"/]],
      [{ projectRoot: root, env: 3 }, [/env is number 3/]],
      [{ projectRoot: root, runtimeParams: "x=1" }, [/runtimeParams is the string "x=1"/]],
      [{ projectRoot: root, plugins: {} }, [/plugins is/, /a list/]],
    ];
    for (const [options, mentions] of creates) {
      await assert.rejects(
        () => KmlfSession.create(options as never),
        refused("session/bad-option", ...mentions),
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// Every type a script or a plugin names comes from "kmlf" (mod.ts): without these exports this file does not
// type-check (each was referenced by a public signature but could not be imported).
export type ScriptTypes = [
  CatalogWarning,
  RunReporter,
  NodeStartedEvent,
  NodeCompletedEvent,
  NodeFailedEvent,
  NodeTiming,
  NodeScope,
  RunnerFlags,
  RunnerKind,
  RunnerOptions,
  RunnerConstructorOptions,
  ProjectSettings,
  RegisterOptions,
  DatasetTypeDefinition,
  HookName,
  HookOrigin,
  CreateExperimentOptions,
  CreateRunOptions,
  UpdateRunOptions,
  KeyValueInput,
  DatasetInput,
  ExperimentsPage,
  SearchExperimentsOptions,
  MetricHistoryOptions,
  LifecycleStage,
];

Deno.test("a script types its reporter and catalog warnings with kmlf's exported types", async () => {
  const root = await writeProject({
    ...FILES,
    "conf/base/catalog.yml": "score:\n  type: mlflow_metric\nbroken:\n  type: no_such_type\n",
  });
  try {
    const warnings: CatalogWarning[] = [];
    const started: NodeStartedEvent[] = [];
    const reporter: RunReporter = { nodeStarted: (event) => void started.push(event) };
    const flags: RunnerFlags = { runner: "ThreadRunner" };
    const session = await KmlfSession.create({
      projectRoot: root,
      onCatalogWarning: (w) => void warnings.push(w),
    });
    const kind: RunnerKind = session.resolveRunner(flags).kind;
    // Each node's function is called inside the scope (what a caller uses to tell which node printed).
    const scoped: string[] = [];
    const nodeScope: NodeScope = (node, call) => {
      scoped.push(node.name);
      return call();
    };
    await session.run({ pipelineNames: "score", reporter, runner: session.resolveRunner(flags), nodeScope });
    assert.deepEqual(scoped, ["score"]);
    assert.equal(kind, "thread");
    assert.deepEqual(warnings.map((w) => w.name), ["broken"]);
    assert.deepEqual(started.map((e) => e.node.name), ["score"]);
    const settings: ProjectSettings = session.settings;
    assert.equal(settings.name, "scripted");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
