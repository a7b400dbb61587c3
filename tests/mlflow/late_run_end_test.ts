/**
 * A script that goes on after its run was interrupted (a notebook, a long-lived service driving
 * KmlfSession): the tracking hook's end-of-run work that was already under way when the signal came —
 * another plugin's afterPipelineRun, the model being logged — finishes in the background after the run
 * ended KILLED. It must then leave the run as it was: no "Model logged", no registered version from the
 * killed run, no second contradicting note (the CLI exits instead, so only a script sees this).
 *
 * The signal is a real SIGTERM to this process, sent at a point the test controls (a custom dataset's
 * load, a plugin's hook, the store's answer to the model's last write) and held there until the run has
 * ended; the run guard catches it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KmlfSession } from "../../lib/session/mod.ts";
import { mlflowPlugin, type TrackingPort } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { KMLF_VERSION } from "../../lib/version.ts";
import { demoProject, REPO } from "../cli_harness.ts";

/** Where the project's code stops (and signals) and when the run's hooks are done; shared through globalThis. */
interface Gate {
  at: "model" | "plugin" | "answer";
  released: Promise<void>;
  done(): void;
}
const GATE = "__kmlfLateEndGate";

const MODULES: Record<string, string> = {
  // The inference input the model's signature is inferred from: loaded only while the model is logged.
  "pipelines/gate_dataset.ts": `export class GateDataset {
  constructor(readonly options: { filepath: string }) {}
  async load() {
    const gate = (globalThis as any).${GATE};
    if (gate?.at === "model") {
      Deno.kill(Deno.pid, "SIGTERM");
      await gate.released;
    }
    return [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }];
  }
  async save() {}
  async exists() { return true; }
  describe() { return { ...this.options }; }
}
`,
  // A plugin's afterPipelineRun runs before kmlf-mlflow's (the last registered first, as pluggy calls them).
  "plugins/report.ts": `export const plugin = {
  name: "report",
  hooks: () => ({
    async afterPipelineRun() {
      const gate = (globalThis as any).${GATE};
      if (gate?.at === "plugin") {
        Deno.kill(Deno.pid, "SIGTERM");
        await gate.released;
      }
    },
  }),
};
`,
  // A project hook runs after every plugin's: tells the test the tracking hook's afterPipelineRun returned.
  "hooks.ts": `export const done = {
  afterPipelineRun() { (globalThis as any).${GATE}?.done(); },
};
`,
};

async function lateProject(uri: string): Promise<string> {
  const kmlfYml = await Deno.readTextFile(join(REPO, "kmlf.yml"));
  const dir = await demoProject({ ...MODULES }, { tracked: true });
  const edit = async (file: string, change: (text: string) => string) => {
    const path = join(dir, file);
    const text = await Deno.readTextFile(path);
    const changed = change(text);
    assert.notEqual(changed, text, `${file} changed`);
    await Deno.writeTextFile(path, changed);
  };
  await edit(
    "conf/base/mlflow.yml",
    (t) => t.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${uri}`),
  );
  await edit(
    "conf/base/catalog.yml",
    (t) =>
      t.replace(
        /^instances:\n {2}type: csv\n/m,
        "instances:\n  type: ./pipelines/gate_dataset.ts#GateDataset\n",
      ),
  );
  await edit(
    "pipelines/training.yml",
    (t) =>
      t.replace(/log_model: \{ name: model,/, "log_model: { name: model, registered_model_name: iris_late,"),
  );
  await Deno.writeTextFile(
    join(dir, "kmlf.yml"),
    kmlfYml.replace("hooks: []", "hooks: [./hooks.ts#done]") + "plugins:\n  - ./plugins/report.ts\n",
  );
  return dir;
}

/**
 * Runs `training` with the gate at `at`: the run is interrupted there, ends, then the held work is let go
 * and the hooks finish. Returns the notes said before and after the run ended.
 */
async function interruptedRun(dir: string, at: Gate["at"]) {
  let release!: () => void;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const gate: Gate = { at, released: new Promise((resolve) => release = resolve), done };
  (globalThis as Record<string, unknown>)[GATE] = gate;
  const notes: string[] = [];
  // A signal listener does not keep the event loop alive, and the held code only awaits a promise.
  const alive = setInterval(() => {}, 1000);
  try {
    // kmlf-mlflow as the CLI wires it (lib/cli/plugins.ts), its notes collected, its store slow to answer.
    const tracking = mlflowPlugin({
      kmlfVersion: KMLF_VERSION,
      notify: (m) => notes.push(m),
      flavors: { kmlf: async () => (await import("../../lib/models/mod.ts")).kmlfFlavor },
      openClient: async (uri, root, options) =>
        slowToAnswer(await MlflowClient.open(uri, { baseDir: root, headers: options?.headers })),
    });
    const session = await KmlfSession.create({ projectRoot: dir, plugins: [tracking] });
    await assert.rejects(
      () => session.run({ pipelineNames: "training" }),
      (e: unknown) => (e as { code?: string }).code === "run/interrupted",
    );
    const atEnd = notes.length;
    release();
    // The tracking hook's afterPipelineRun then returns and the project hook says so; a hook that threw
    // instead never gets there, so the wait is bounded.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([finished, new Promise((resolve) => timer = setTimeout(resolve, 10_000))]);
    clearTimeout(timer);
    return { before: notes.slice(0, atEnd), after: notes.slice(atEnd) };
  } finally {
    clearInterval(alive);
    delete (globalThis as Record<string, unknown>)[GATE];
  }
}

/**
 * The real client, whose answer to the model's last write (the run's `mlflow.log-model.history` tag) comes
 * only after a signal has ended the run — as a remote server's answer can while the run ends.
 */
function slowToAnswer(client: TrackingPort): TrackingPort {
  return new Proxy(client, {
    get(target, key) {
      if (key === "logBatch") {
        return async (...args: Parameters<TrackingPort["logBatch"]>) => {
          const answer = await target.logBatch(...args);
          const gate = (globalThis as Record<string, unknown>)[GATE] as Gate | undefined;
          if (gate?.at === "answer" && args[1].tags?.["mlflow.log-model.history"] !== undefined) {
            Deno.kill(Deno.pid, "SIGTERM");
            await gate.released;
          }
          return answer;
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function onlyRun(dir: string, uri: string) {
  const store = await openStore(uri, { baseDir: dir });
  try {
    const experiment = (await store.searchExperiments({})).experiments.find((e) => e.name === "iris");
    assert.ok(experiment, "experiment iris exists");
    const { runs } = await store.searchRuns({ experimentIds: [experiment.experimentId], runViewType: "ALL" });
    assert.equal(runs.length, 1);
    const versions = (await store.registry.searchModelVersions({})).modelVersions;
    return { run: runs[0], versions };
  } finally {
    await store.close();
  }
}

Deno.test("a signal as the model's logging ends: the run stays KILLED, and the model is neither announced nor registered", async () => {
  const uri = "mlflow.db";
  const dir = await lateProject(uri);
  try {
    const { before, after } = await interruptedRun(dir, "answer");
    assert.ok(
      before.some((n) => /Model "model" .* not logged: the run was interrupted/.test(n)),
      before.join("\n"),
    );
    assert.deepEqual(after, [], 'no "Model logged" (nor anything else) after the run ended');
    const { run, versions } = await onlyRun(dir, uri);
    assert.equal(run.info.status, "KILLED");
    assert.deepEqual(versions, [], "no registered version from a killed run");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a signal while the model is logged: logging it then fails on the closed store, and that is not said as a second ending", async () => {
  const uri = "mlflow.db";
  const dir = await lateProject(uri);
  try {
    const { before, after } = await interruptedRun(dir, "model");
    assert.ok(before.some((n) => /not logged: the run was interrupted/.test(n)), before.join("\n"));
    assert.deepEqual(after, [], "nothing said after the run ended");
    const { run, versions } = await onlyRun(dir, uri);
    assert.equal(run.info.status, "KILLED");
    assert.equal(run.data.tags["kmlf.error"], undefined, "the run keeps the ending it had");
    assert.deepEqual(versions, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a signal during another plugin's afterPipelineRun: the tracking hook's turn, after the run ended KILLED, says nothing", async () => {
  const uri = "mlflow.db";
  const dir = await lateProject(uri);
  try {
    const { before, after } = await interruptedRun(dir, "plugin");
    assert.ok(before.some((n) => /not logged: the run was interrupted/.test(n)), before.join("\n"));
    assert.deepEqual(after, [], 'no "tracking is disabled" nor any other note after the run ended');
    const { run, versions } = await onlyRun(dir, uri);
    assert.equal(run.info.status, "KILLED");
    assert.deepEqual(versions, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
