/**
 * Property test: on random DAGs (fan-outs, fan-ins, multi-output nodes, memory and pickle datasets,
 * typed arrays and Maps in the data, random node delays so completion order varies), the thread and
 * parallel runners, with and without --async, save exactly what the sequential runner saves.
 */
import assert from "node:assert/strict";
import { HookManager } from "../../lib/hooks/mod.ts";
import type { RunnerSpec } from "../../lib/runner/mod.ts";
import { runWith, withPipeline } from "./runner_helpers.ts";
import { seededRandom } from "../seeded_random.ts";

const OPS = `
/** Deterministic output from the node's id and its inputs, after a delay that shuffles completion order. */
export async function mix(spec: { id: string; outputs: number; delay: number; busy: boolean }, ...inputs: unknown[]) {
  if (spec.busy) { const end = Date.now() + spec.delay; while (Date.now() < end); }
  else await new Promise((resolve) => setTimeout(resolve, spec.delay));
  const digest = hash(spec.id + "|" + inputs.map(describe).join("|"));
  const make = (o: number) => ({
    id: spec.id,
    o,
    digest,
    vec: Float64Array.from([digest % 97, o, inputs.length]),
    seen: new Map(inputs.map((x, i) => [i, describe(x).length])),
  });
  return spec.outputs === 1 ? make(0) : Array.from({ length: spec.outputs }, (_, o) => make(o));
}
function describe(x: unknown): string {
  return JSON.stringify(x, (_k, v) => v instanceof Map ? [...v] : ArrayBuffer.isView(v) ? [...(v as Float64Array)] : v);
}
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
`;

interface RandomDag {
  yaml: string;
  catalog: string;
  params: Record<string, unknown>;
}

function randomDag(seed: number): RandomDag {
  const rand = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const count = 3 + Math.floor(rand() * 10);
  const produced: string[] = [];
  const persisted: string[] = [];
  const params: Record<string, unknown> = {};
  const lines = ["nodes:"];
  for (let i = 0; i < count; i++) {
    const outputs = rand() < 0.3 ? 2 : 1;
    params[`n${i}`] = { id: `n${i}`, outputs, delay: Math.floor(rand() * 15), busy: rand() < 0.5 };
    const inputs = [`params:n${i}`];
    const fanIn = Math.floor(rand() * 4);
    for (let k = 0; k < fanIn && produced.length > 0; k++) {
      const from = pick(produced);
      if (!inputs.includes(from)) inputs.push(from);
    }
    if (rand() < 0.3) inputs.push("params:shared");
    const names = Array.from({ length: outputs }, (_, o) => `d${i}_${o}`);
    for (const name of names) if (rand() < 0.3) persisted.push(name);
    produced.push(...names);
    const out = outputs === 1 ? names[0] : `[${names.join(", ")}]`;
    lines.push(`  - {name: n${i}, func: ./ops.ts#mix, inputs: [${inputs.join(", ")}], outputs: ${out}}`);
  }
  params.shared = { scale: seed % 7, label: `seed-${seed}` };
  const catalog = persisted.map((n) => `${n}: {type: pickle, filepath: data/${n}.pkl}\n`).join("") || "{}\n";
  return { yaml: lines.join("\n") + "\n", catalog, params };
}

// Everything each node saved, by dataset name (data as it reached the catalog).
async function savedBy(spec: RunnerSpec, dag: RandomDag): Promise<Map<string, unknown>> {
  return await withPipeline(dag.yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog(dag.catalog);
    c.addParameters(structuredClone(dag.params));
    const saved = new Map<string, unknown>();
    const hooks = new HookManager();
    hooks.register({
      afterDatasetSaved: ({ datasetName, data }) => void saved.set(datasetName, structuredClone(data)),
    }, { name: "record", kind: "project" });
    await runWith(spec, pipeline, c, { hooks });
    for (const name of c.names().filter((n) => !n.startsWith("params:") && n !== "parameters")) {
      assert.deepStrictEqual(await c.load(name), saved.get(name), `${name} reads back what was saved`);
    }
    return saved;
  });
}

Deno.test("random DAGs: thread and parallel runners (with and without --async) save what the sequential runner saves", async () => {
  const seeds = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);
  for (const seed of seeds) {
    const dag = randomDag(seed);
    const expected = await savedBy({ kind: "sequential" }, dag);
    const rand = seededRandom(seed ^ 0x5eed);
    const variants: RunnerSpec[] = [
      { kind: "sequential", isAsync: true },
      { kind: "thread", maxWorkers: 1 + Math.floor(rand() * 4), isAsync: rand() < 0.5 },
      { kind: "parallel", maxWorkers: 1 + Math.floor(rand() * 3), isAsync: rand() < 0.5 },
    ];
    for (const spec of variants) {
      const actual = await savedBy(spec, dag);
      assert.deepStrictEqual(
        [...actual.keys()].sort(),
        [...expected.keys()].sort(),
        `seed ${seed}, ${JSON.stringify(spec)}: same datasets saved`,
      );
      for (const [name, value] of expected) {
        assert.deepStrictEqual(actual.get(name), value, `seed ${seed}, ${JSON.stringify(spec)}: ${name}`);
      }
    }
  }
});
