/**
 * A model folder whose MLmodel was edited (or written by another tool) fails to load with an error naming
 * the MLmodel key and the fix, never an internal TypeError, and never reads files outside the folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { loadModel, loadModelDir } from "../../lib/models/mod.ts";
import { trainedRulesProject } from "./model_helpers.ts";

const t = await trainedRulesProject();
globalThis.addEventListener("unload", () => Deno.removeSync(t.base, { recursive: true }));
const logged = await loadModel(t.modelUri, {
  trackingUri: `sqlite:///${t.store}`,
  cacheDir: join(t.base, "c"),
});
// Unfolded (kmlf writes MLmodel as MLflow does, folding long values at column 80), so an edit can match a
// whole signature entry.
const original = dump(load(await Deno.readTextFile(join(logged.dir, "MLmodel"))), { lineWidth: -1 });

/** A copy of the logged model folder with MLmodel edited by `edit`. */
async function edited(edit: (mlmodel: string) => string): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: t.base });
  await new Deno.Command("cp", { args: ["-R", `${logged.dir}/.`, dir] }).output();
  const text = edit(original);
  assert.notEqual(text, original, "the edit applies");
  await Deno.writeTextFile(join(dir, "MLmodel"), text);
  return dir;
}

Deno.test("an output_name the inference pipeline does not produce is named, with the pipeline's outputs", async () => {
  const dir = await edited((m) => m.replace(/output_name: \S+/, "output_name: scores"));
  await assert.rejects(() => loadModelDir(dir), (error: Error & { code?: string; hint?: string }) => {
    assert.equal(error.code, "model/artifacts-mismatch");
    assert.match(error.message, /MLmodel: output_name "scores" is not an output of the inference pipeline/);
    assert.match(error.hint!, /the pipeline's outputs: predictions; re-log the model/);
    return true;
  });
});

Deno.test("a pipeline or artifact path in MLmodel that leaves the model folder is refused", async () => {
  const outside = await edited((m) => m.replace(/pipeline: \S+/, "pipeline: ../../../../etc/passwd"));
  await assert.rejects(
    () => loadModelDir(outside),
    /MLmodel: flavors\.kmlf\.pipeline \(\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd\) leaves the model folder/,
  );
  const absolute = await edited((m) => m.replace(/filepath: \S+/, "filepath: /etc/hostname"));
  await assert.rejects(
    () => loadModelDir(absolute),
    /MLmodel: flavors\.kmlf\.artifacts\.rule\.filepath \(\/etc\/hostname\) leaves the model folder/,
  );
  // Paths that only pass through ".." inside the folder are fine.
  const inside = await edited((m) => m.replace(/pipeline: code\//, "pipeline: code/../code/"));
  assert.equal((await loadModelDir(inside)).outputName, "predictions");
});

Deno.test("a URL, a partition path or a symlink in the model folder leading out is refused (class of the above)", async () => {
  const leaving = async (dir: string, key: string, path: string) =>
    await assert.rejects(() => loadModelDir(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, "model/bad-flavor");
      assert.ok(
        error.message.includes(`MLmodel: ${key} (${path}) leaves the model folder`),
        error.message,
      );
      return true;
    });
  for (const url of ["s3://bucket/rule.json", "file:///etc/hostname", "https://example.com/rule.json"]) {
    const dir = await edited((m) => m.replace(/filepath: \S+/, `filepath: ${url}`));
    await leaving(dir, "flavors.kmlf.artifacts.rule.filepath", url);
  }
  const partitions = await edited((m) => m.replace(/filepath: \S+/, "path: /etc\n        dataset: json"));
  await leaving(partitions, "flavors.kmlf.artifacts.rule.path", "/etc");
  const inner = await edited((m) =>
    m.replace(/filepath: \S+/, "path: p\n        dataset: {type: json, filepath: ../x}")
  );
  await leaving(inner, "flavors.kmlf.artifacts.rule.dataset.filepath", "../x");
  // Links inside the folder (an unpacked archive can carry them) to files outside: the artifact, the pipeline.
  const outside = join(t.base, "outside");
  await Deno.mkdir(outside, { recursive: true });
  for (
    const [rel, key] of [["artifacts/rule/rule.json", "flavors.kmlf.artifacts.rule.filepath"], [
      "code/pipelines/inference.yml",
      "flavors.kmlf.pipeline",
    ]]
  ) {
    const dir = await edited((m) => m.replace("model_size_bytes", "model_size_bytes_"));
    const copy = join(outside, rel.replaceAll("/", "_"));
    await Deno.copyFile(join(dir, rel), copy);
    await Deno.remove(join(dir, rel));
    await Deno.symlink(copy, join(dir, rel));
    await leaving(dir, key, rel);
    // A link that stays inside the folder is fine.
    await Deno.remove(join(dir, rel));
    await Deno.copyFile(copy, join(dir, `${rel}.real`));
    await Deno.symlink(join(dir, `${rel}.real`), join(dir, rel));
    assert.equal((await loadModelDir(dir)).outputName, "predictions");
  }
});

Deno.test("a signature entry with a type MLflow does not have is named, with the bad type and MLflow's types", async () => {
  const cases: [(m: string) => string, RegExp][] = [
    [
      (m) =>
        m.replace('{"type": "double", "name": "sepal_width"', '{"type": "float64", "name": "sepal_width"'),
      /MLmodel: signature\.inputs\[1\] \("sepal_width"\) has the unknown type "float64": MLflow's types are boolean, integer, long, float, double, string, binary, datetime, or \{"type": "array"/,
    ],
    [
      (m) =>
        m.replace(
          '{"type": "double", "name": "petal_width"',
          '{"type": {"type": "array", "items": "int"}, "name": "petal_width"',
        ),
      /signature\.inputs\[3\] \("petal_width"\) is an array whose items have the unknown type "int": MLflow's types/,
    ],
    [
      (m) => m.replace('{"type": "double", "name": "sepal_length", "required": true}', '"sepal_length"'),
      /signature\.inputs\[0\] is not a column spec \{"type": …, "name": …\} \(got "sepal_length"\)/,
    ],
  ];
  for (const [edit, message] of cases) {
    const dir = await edited(edit);
    await assert.rejects(() => loadModelDir(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, "model/bad-signature");
      assert.match(error.message, message);
      return true;
    });
  }
});
