/**
 * The README's registry demo, end to end through the real CLI on the iris demo project: train → register
 * as `iris` → alias `champion` → `kmlf models serve -m models:/iris@champion` → a second training (other
 * hyperparameters) → move the alias → after a restart the server answers with the second model.
 */
import assert from "node:assert/strict";
import { CLI_PATH, demoProject, kmlf } from "../cli_harness.ts";

const ROWS = JSON.stringify({
  dataframe_split: {
    columns: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    data: [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3]],
  },
});

/** `kmlf models serve -m <uri> --port 0` until its first answer; returns the banner and the answer. */
async function serveOnce(dir: string, uri: string): Promise<{ banner: string; predictions: unknown }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", CLI_PATH, "models", "serve", "-m", uri, "--port", "0"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  try {
    while (!/listening on (http\S+)/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`kmlf models serve exited early:\n${seen}\n${await stderr}`);
      seen += value;
    }
    const url = seen.match(/listening on (http\S+)/)![1];
    const res = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: ROWS,
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return { banner: seen.split("\n")[0], predictions: body.predictions };
  } finally {
    child.kill("SIGINT");
    await reader.cancel();
    await child.status;
    await stderr;
  }
}

function loggedRun(stderr: string): string {
  const m = stderr.match(/Model logged: runs:\/(\w+)\/model/);
  assert.ok(m, stderr);
  return m[1];
}

Deno.test("README registry demo: the served models:/iris@champion changes when the alias moves", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const first = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const run1 = loggedRun(first.stderr);

    const registered = await kmlf(["models", "register", "-m", `runs:/${run1}/model`, "--name", "iris"], {
      cwd: dir,
    });
    assert.equal(registered.code, 0, registered.stderr);
    assert.equal(registered.stdout, "models:/iris/1\n");
    assert.match(registered.stderr, /Registered "iris" version 1 from runs:\/\w+\/model/);

    const alias = await kmlf(["models", "alias", "iris", "champion", "1"], { cwd: dir });
    assert.equal(alias.code, 0, alias.stderr);
    assert.equal(alias.stderr, "models:/iris@champion → version 1\n");

    const served1 = await serveOnce(dir, "models:/iris@champion");
    assert.equal(
      served1.banner,
      `Serving model models:/iris@champion ("iris" version 1, run ${run1}): input "instances" → output "inference_predictions"`,
    );

    // A second training with other hyperparameters gives another model.
    const second = await kmlf(["run", "training", "--params", "model.n_iter=3,model.learning_rate=0.01"], {
      cwd: dir,
    });
    assert.equal(second.code, 0, second.stderr);
    const run2 = loggedRun(second.stderr);
    assert.notEqual(run2, run1);
    const registered2 = await kmlf(["models", "register", "-m", `runs:/${run2}/model`, "-n", "iris"], {
      cwd: dir,
    });
    assert.equal(registered2.stdout, "models:/iris/2\n", registered2.stderr);

    // Until the alias moves, a restarted server still serves version 1.
    assert.deepEqual((await serveOnce(dir, "models:/iris@champion")).predictions, served1.predictions);

    const moved = await kmlf(["models", "alias", "iris", "champion", "latest"], { cwd: dir });
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(moved.stderr, "models:/iris@champion → version 2 (was version 1)\n");

    const served2 = await serveOnce(dir, "models:/iris@champion");
    assert.match(served2.banner, new RegExp(`\\("iris" version 2, run ${run2}\\)`));
    assert.notDeepEqual(served2.predictions, served1.predictions, "the second model answers differently");
    // …and exactly as the second run's own model does.
    const direct = await kmlf(
      ["models", "predict", "-m", `runs:/${run2}/model`, "-i", "data/01_raw/instances.csv"],
      { cwd: dir },
    );
    assert.equal(direct.code, 0, direct.stderr);
    assert.deepEqual(JSON.parse(direct.stdout).predictions, served2.predictions);

    // Removing the alias leaves the registry's own answer, with the way out.
    const removed = await kmlf(["models", "alias", "iris", "champion", "--delete"], { cwd: dir });
    assert.equal(removed.code, 0, removed.stderr);
    const gone = await kmlf([
      "models",
      "predict",
      "-m",
      "models:/iris@champion",
      "-i",
      "data/01_raw/instances.csv",
    ], {
      cwd: dir,
    });
    assert.equal(gone.code, 2);
    assert.match(
      gone.stderr,
      /error\[model\/unknown-alias\]: Registered model "iris" has no alias "champion"/,
    );
    assert.match(gone.stderr, /hint: set one first: kmlf models alias iris champion <version>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf models register/alias refuse what cannot work, naming the fix", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const local = await kmlf(["models", "register", "-m", "data/06_models", "-n", "iris"], { cwd: dir });
    assert.equal(local.code, 2);
    assert.match(local.stderr, /error\[cli\/register-local-model\]/);
    const noRun = await kmlf([
      "models",
      "register",
      "-m",
      "runs:/0123456789abcdef0123456789abcdef/model",
      "-n",
      "iris",
    ], {
      cwd: dir,
    });
    // Nothing tracked yet: no store to register in (opening it would leave an empty mlflow.db behind).
    assert.equal(noRun.code, 2);
    assert.match(noRun.stderr, /error\[cli\/mlflow-no-store\]: No tracking store at sqlite:\/\/\/mlflow\.db/);
    assert.match(
      noRun.stderr,
      /hint: nothing has been tracked in this project yet: `kmlf run` creates the store/,
    );
    assert.equal((await kmlf(["run", "training"], { cwd: dir })).code, 0);
    const unknownRun = await kmlf(
      ["models", "register", "-m", "runs:/0123456789abcdef0123456789abcdef/model", "-n", "iris"],
      { cwd: dir },
    );
    assert.equal(unknownRun.code, 2);
    assert.match(unknownRun.stderr, /0123456789abcdef0123456789abcdef/);
    const badTag = await kmlf(
      ["models", "register", "-m", "runs:/abc/model", "-n", "iris", "--tag", "oops"],
      {
        cwd: dir,
      },
    );
    assert.match(badTag.stderr, /error\[cli\/bad-tag\]: --tag "oops" is not key=value/);
    const noModel = await kmlf(["models", "alias", "nope", "champion", "1"], { cwd: dir });
    assert.equal(noModel.code, 2);
    assert.match(noModel.stderr, /RESOURCE_DOES_NOT_EXIST|not found|nope/);
    const both = await kmlf(["models", "alias", "iris", "champion", "1", "--delete"], { cwd: dir });
    assert.match(
      both.stderr,
      /error\[cli\/alias-needs-version\]: Cannot both remove alias "champion" and point it at version 1/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
