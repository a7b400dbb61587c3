/** Where a failed run resumes from (Kedro's _suggest_resume_scenario), for shapes the main tests miss. */
import assert from "node:assert/strict";
import { Catalog } from "../../lib/catalog/mod.ts";
import { Pipeline } from "../../lib/pipeline/mod.ts";
import { findResumeNodes } from "../../lib/runner/resume.ts";
import { node } from "../pipeline/helpers.ts";

const catalog = () => Catalog.fromConfig({ data: {}, locate: () => undefined }, { projectRoot: "/tmp" });

Deno.test("a failed source node (no inputs) is where the run resumes, not nowhere", async () => {
  const done = node("n1", [], ["s1"]);
  const p = new Pipeline([done, node("n2", [], ["s2"]), node("n3", ["s2"], ["s3"])]);
  assert.deepEqual(findResumeNodes(p, new Set([done]), await catalog()), ["n2"]);
});

Deno.test("a source node feeding the failed node through memory is re-run with it", async () => {
  const a = node("a", [], ["x"]);
  const p = new Pipeline([a, node("b", ["x"], ["y"]), node("c", ["y"], ["z"])]);
  const b = p.nodes.find((n) => n.name === "b")!;
  assert.deepEqual(findResumeNodes(p, new Set([a, b]), await catalog()), ["a"]);
});
