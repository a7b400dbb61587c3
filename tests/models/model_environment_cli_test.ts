/**
 * `kmlf models serve` in a model's own environment: outside the project it was logged in, kmlf maps no
 * package the model's code imports, so kmlf serves it from a process given the model's pins; Ctrl-C ends
 * both processes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnKmlf } from "../cli_harness.ts";
import { trainedRulesProject } from "./model_helpers.ts";

Deno.test("kmlf models serve serves a model whose pinned package this kmlf does not map, and stops on SIGINT", async () => {
  // argparse is in Deno's cache already (js-yaml depends on it): no network.
  const t = await trainedRulesProject({
    "deno.json": JSON.stringify({ imports: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" } }),
    "pipelines/rules/util/labels.ts": 'import { ArgumentParser } from "argparse";\n' +
      "export const parser = typeof ArgumentParser;\n" +
      'export const SPECIES = ["setosa", "virginica"] as const;\n',
  });
  try {
    const model = join(t.store, "..", "mlartifacts", "1", t.runId, "artifacts", "model");
    const served = spawnKmlf(["models", "serve", "-m", model, "-p", "0"], { cwd: t.base, watch: "stdout" });
    const seen = await served.waitFor(/listening on \S+/);
    const url = seen.match(/listening on (\S+)/)![1];
    const response = await fetch(new URL("/invocations", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
    served.child.kill("SIGINT");
    const { code } = await served.finish();
    assert.equal(code, 0);
    // The server was the model's process: it is gone too.
    await assert.rejects(() => fetch(new URL("/ping", url)));
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});
