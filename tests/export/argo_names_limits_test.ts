/**
 * Export names at their limits: 500 nodes whose names agree on their first 60 characters get task names
 * that stay valid Kubernetes names (≤ 63, unique, mapped back to their node), and every text Argo would
 * substitute — the env and node names as well as the pipeline and `--params` — is refused when it holds `{{`.
 */
import assert from "node:assert/strict";
import { argoWorkflow, planExport } from "../../lib/export/mod.ts";
import { Node, Pipeline } from "../../lib/pipeline/mod.ts";
import type { UsageError } from "../../lib/errors.ts";
import { assertValidArgo } from "./export_helpers.ts";
import { load } from "js-yaml";

function node(name: string, inputs: string[], outputs: string[]): Node {
  return new Node({
    name,
    func: () => undefined,
    funcRef: "./nodes.ts#f",
    inputs,
    outputs,
    inputBinding: { kind: "positional" },
    outputBinding: { kind: "list" },
  });
}

const OPTIONS = { image: "img:1", kind: "Workflow" as const, name: "p" };

Deno.test("500 nodes sharing a long prefix get unique task names of at most 63 characters", () => {
  const prefix = "n".repeat(70);
  const nodes = Array.from({ length: 500 }, (_, i) => node(`${prefix}_${i}`, [], [`out_${i}`]));
  const plan = planExport(new Pipeline(nodes), {
    pipeline: "p",
    env: "e",
    groupBy: "node",
    isPersisted: () => true,
  });
  const names = plan.tasks.map((t) => t.name);
  assert.equal(new Set(names).size, 500);
  for (const name of names) {
    assert.ok(name.length <= 63, `${name} (${name.length})`);
    assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  }
  assert.deepEqual(plan.tasks.map((t) => t.nodes).flat().sort(), nodes.map((n) => n.name).sort());
  assertValidArgo(load(argoWorkflow(plan, OPTIONS)));
});

Deno.test("Argo refuses {{ in the env and in node names, naming them, like the pipeline and --params", () => {
  const pipeline = new Pipeline([node("a", [], ["x"]), node("b{{workflow.name}}", ["x"], ["y"])]);
  const plan = (env: string, p = pipeline) =>
    planExport(p, { pipeline: "train", env, groupBy: "node", isPersisted: () => true });
  assert.throws(() => argoWorkflow(plan("e"), OPTIONS), (e: UsageError) => {
    assert.equal(e.code, "export/argo-template-tag");
    assert.match(e.message, /node "b\{\{workflow\.name\}\}" hold "\{\{"/);
    assert.match(e.hint!, /pipelines\/train\.yml/);
    return true;
  });
  const clean = new Pipeline([node("a", [], ["x"])]);
  assert.throws(() => argoWorkflow(plan("prod{{x}}", clean), OPTIONS), (e: UsageError) => {
    assert.equal(e.code, "export/argo-template-tag");
    assert.match(e.message, /--env "prod\{\{x\}\}"/);
    assert.match(e.hint!, /conf\/prod\{\{x\}\}/);
    return true;
  });
  assertValidArgo(load(argoWorkflow(plan("prod", clean), OPTIONS)));
});
