/**
 * The UI's MLmodel readers (logged_models.js) read what kmlf's MLmodel writer writes: flavor names
 * (plain or quoted keys) and the signature; the commands, catalog entries and sources it builds from a
 * model's path keep the path as written.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  catalogEntry,
  mlmodelFlavors,
  mlmodelSignature,
  runsUri,
  serveCommand,
} from "../../lib/server/ui/src/logged_models.js";
import { modelSource } from "../../lib/server/ui/src/register_model.js";
import { shellCommand } from "../../lib/server/ui/src/shell_words.js";
import { parseModelUri } from "../../lib/tracking/models/model_uri.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { mlmodelToYaml, signatureToStrings } from "../../lib/tracking/mod.ts";

Deno.test("the model panel reads flavor names and the signature from an MLmodel kmlf wrote", () => {
  const text = mlmodelToYaml({
    artifactPath: "model",
    flavors: {
      kmlf: { pipeline: "code/inference.yml", input_name: "instances" },
      js_value: { serialization: "json", data: "model.json" },
      "odd: 'name'": { data: "x" },
      "#hash": {},
    },
    signature: signatureToStrings({
      inputs: [{ name: "it's", type: "double", required: true }],
      outputs: null,
      params: [{ name: "threshold", type: "double", default: 0.5, shape: null }],
    }),
  });
  assert.deepEqual(mlmodelFlavors(text).sort(), ["#hash", "js_value", "kmlf", "odd: 'name'"]);
  // JS without types: its result is read as plain data.
  const signature = mlmodelSignature(text) as unknown as {
    inputs: unknown[];
    params: { name: string }[];
  };
  assert.deepEqual(signature.inputs, [{ type: "double", name: "it's", required: true }]);
  assert.equal(signature.params[0].name, "threshold");
  assert.deepEqual(mlmodelFlavors("artifact_path: m\n"), []);
});

// The words a POSIX shell (dash and bash here) reads from a pasted command line.
async function shellWords(shell: string, line: string): Promise<string[]> {
  const { stdout, success } = await new Deno.Command(shell, {
    args: ["-c", `for w in ${line.replace(/^\S+/, "")}; do printf '%s\\0' "$w"; done`],
    env: { HOME: "/home/should-not-expand", X: "expanded" },
    stdout: "piped",
  }).output();
  assert.ok(success);
  return new TextDecoder().decode(stdout).split("\0").slice(0, -1);
}

const ODD_PATHS = [
  "model",
  "my model",
  "it's",
  "$HOME/x",
  "a#1",
  "50% off",
  "*",
  'say "hi"',
  "back\\slash",
  "`echo no`",
  "$(echo no)",
  "~",
  "tab\tx",
  "new\nline",
];

Deno.test("the commands the UI shows to paste reach kmlf as written, whatever the names hold", async () => {
  const runId = "0123456789abcdef0123456789abcdef";
  for (const path of ODD_PATHS) {
    const uri = runsUri(runId, path);
    // kmlf reads the runs:/ URI's path as written (no percent-decoding), so the URI names this very path.
    const parsed = parseModelUri(uri);
    assert.equal(parsed.kind === "runs" && parsed.path, path.replace(/\/+$/, ""));
    const command = serveCommand(uri);
    assert.ok(command.startsWith("kmlf models serve -m "), command);
    for (const shell of ["dash", "bash"]) {
      assert.deepEqual(
        await shellWords(shell, command),
        ["models", "serve", "-m", uri],
        `${shell}: ${command}`,
      );
    }
  }
  assert.equal(serveCommand(runsUri(runId, "model")), `kmlf models serve -m runs:/${runId}/model`);
  for (const word of ["3", "it's", "", "a b"]) {
    assert.deepEqual(await shellWords("dash", shellCommand(["kmlf", word])), [word]);
  }
});

Deno.test("the catalog entry the UI shows reads back as the model's URI and flavor", () => {
  for (const path of ODD_PATHS) {
    for (const flavor of ["sklearn", "odd: 'name'", "#hash", "a, b}"]) {
      const entry = catalogEntry(runsUri("ab12", path), flavor);
      assert.deepEqual(parseYaml(entry, "conf/base/catalog.yml").value, {
        type: "mlflow_model_tracking",
        flavor,
        load_args: { model_uri: `runs:/ab12/${path}` },
      }, entry);
    }
  }
});

Deno.test("a model registered from the run page gets a source the store reads back as its folder", () => {
  const run = (artifact_uri: string) => ({ info: { artifact_uri } });
  assert.equal(
    modelSource(run("mlflow-artifacts:/1/ab/artifacts/"), "my #1 model"),
    "mlflow-artifacts:/1/ab/artifacts/my%20%231%20model",
  );
  assert.equal(
    modelSource(run("file:///srv/ml%20runs/1/ab/artifacts"), "50% off"),
    "file:///srv/ml%20runs/1/ab/artifacts/50%25%20off",
  );
  const local = modelSource(run("file:///srv/mlruns/1/ab/artifacts"), "a #b 50%");
  assert.equal(fileURLToPath(local), "/srv/mlruns/1/ab/artifacts/a #b 50%");
});
