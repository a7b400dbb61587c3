/**
 * A script's session has no `--params`: the hints about a parameter to pass name what it can use,
 * `KmlfSession.create`'s `runtimeParams` option; the CLI's keep naming `--params` (tests/golden/errors).
 */
import assert from "node:assert/strict";
import { KmlfSession } from "../../mod.ts";
import { demoProject, UNTRACKED_CATALOG } from "../cli_harness.ts";
import type { KmlfError } from "../../lib/errors.ts";

const inference = await Deno.readTextFile(new URL("../../pipelines/inference.yml", import.meta.url));

// The errors `fn` threw (one, or the problems of an aggregate).
async function errorsOf(fn: () => Promise<unknown>): Promise<KmlfError[]> {
  try {
    await fn();
  } catch (error) {
    const problems = (error as { errors?: KmlfError[] }).errors;
    return problems ?? [error as KmlfError];
  }
  throw new Error("expected an error");
}

Deno.test("a script's session is told to pass a missing parameter with runtimeParams, not --params", async () => {
  const dir = await demoProject({
    "pipelines/extra.yml": [
      "nodes:",
      "  - {name: one, func: ./iris/nodes.ts#featureNames, inputs: [params:model.seed, params:model.lr], outputs: x}",
      "",
    ].join("\n"),
    "conf/base/parameters.yml": "model:\n  lr: 0.1\n",
  });
  try {
    const session = await KmlfSession.create({ projectRoot: dir });
    const [error] = await errorsOf(() => session.run({ pipelineNames: ["extra"] }));
    assert.equal(error.code, "runner/unknown-parameter");
    assert.match(
      error.hint!,
      /^define "model\.seed" in conf\/base\/parameters\.yml \(or pass runtimeParams: \{ model: \{ seed: \.\.\. \} \} to KmlfSession\.create\)/,
    );
    assert.doesNotMatch(error.hint!, /--params/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a script's session: an inference parameter, ${runtime_params:…} and a key over a list name runtimeParams", async () => {
  const dir = await demoProject({
    "conf/base/catalog.yml": UNTRACKED_CATALOG,
    "pipelines/inference.yml": inference + [
      "",
      "  - name: column_names",
      "    func: ./iris/nodes.ts#featureNames",
      "    inputs: [instances, params:label_column]",
      "    outputs: names",
      "",
    ].join("\n"),
  });
  try {
    const session = await KmlfSession.create({ projectRoot: dir });
    const problems = await errorsOf(() => session.run({ pipelineNames: ["training"] }));
    const unknown = problems.find((p) => p.code === "pipeline/inference-unknown-parameter");
    assert.ok(unknown, problems.map((p) => p.code).join(", "));
    assert.match(
      unknown.hint!,
      /\(or pass runtimeParams: \{ label_column: \.\.\. \} to KmlfSession\.create\)/,
    );

    const params = `${dir}/conf/base/parameters.yml`;
    const text = await Deno.readTextFile(params);
    await Deno.writeTextFile(params, `${text}seed: \${runtime_params:seed}\n`);
    const [missing] = await errorsOf(async () => (await KmlfSession.create({ projectRoot: dir })).catalog());
    assert.match(
      missing.hint!,
      /^pass runtimeParams: \{ seed: \.\.\. \} to KmlfSession\.create or add a default/,
    );

    await Deno.writeTextFile(params, text);
    const [list] = await errorsOf(async () =>
      (await KmlfSession.create({ projectRoot: dir, runtimeParams: { features: { 0: "x" } } })).catalog()
    );
    assert.match(list.message, /^runtimeParams sets features\.0, but parameter features is a list/);
    assert.match(list.hint!, /runtimeParams: \{ features: \[\.\.\.\] \} to KmlfSession\.create/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
