/** `kmlf mlflow ui` opens on the project's experiment: the printed link and a bare URL both land there. */
import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { chromium } from "npm:playwright-core@1.65.1";
import { uiWithStartPage } from "../../lib/server/mod.ts";
import { CLI_PATH, demoProject, spawnKmlf } from "../cli_harness.ts";
import { CHROMIUM } from "../prerequisites.ts";

async function startUi(cwd: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", CLI_PATH, "mlflow", "ui", "--port", "0"],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/opens on experiment "[^"]+": (\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`kmlf mlflow ui printed no experiment link:\n${seen}`);
    seen += value;
  }
  return {
    link: seen.match(/opens on experiment "[^"]+": (\S+)/)![1],
    base: seen.match(/listening on (http\S+)/)![1],
    async stop() {
      child.kill("SIGINT");
      while (!(await reader.read()).done) { /* drain: the server prints "Server stopped." */ }
      return (await child.status).code;
    },
  };
}

Deno.test("kmlf mlflow ui creates the project's experiment and a bare URL opens on it", async () => {
  const dir = await demoProject({}, { tracked: true });
  const ui = await startUi(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
  try {
    const id = ui.link.match(/#\/experiments\/(\d+)$/)?.[1];
    assert.ok(id, ui.link);
    const got = await (await fetch(`${ui.base}/api/2.0/mlflow/experiments/get?experiment_id=${id}`)).json();
    assert.equal(got.experiment.name, "iris");
    const html = await (await fetch(`${ui.base}/`)).text();
    assert.match(html, new RegExp(`<meta name="kmlf-start-page" content="#/experiments/${id}">`));
    const page = await browser.newPage();
    await page.goto(`${ui.base}/`);
    // The name shows "…" until the experiment is read.
    await page.getByTestId("experiment-name").filter({ hasNotText: "…" }).waitFor();
    assert.equal(await page.getByTestId("experiment-name").textContent(), "iris");
    assert.equal(new URL(page.url()).hash, `#/experiments/${id}`);
    // The UI's own home link and explicit routes are left alone.
    await page.getByTestId("home-link").click();
    await page.getByTestId("experiment-link").first().waitFor();
    assert.equal(new URL(page.url()).hash, "#/");
  } finally {
    await browser.close();
    assert.equal(await ui.stop(), 0);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without mlflow.yml no experiment is created and the UI opens on the list", async () => {
  const dir = await demoProject();
  const ui = spawnKmlf(["mlflow", "ui", "--port", "0"], { cwd: dir, watch: "stdout" });
  try {
    const seen = await ui.waitFor(/listening on (http\S+)/);
    const base = seen.match(/listening on (http\S+)/)?.[1];
    if (!base) throw new Error(`kmlf mlflow ui exited before listening:\n${seen}`);
    assert.doesNotMatch(await (await fetch(`${base}/`)).text(), /kmlf-start-page/);
    const list = await (await fetch(`${base}/api/2.0/mlflow/experiments/search?max_results=10`)).json();
    assert.deepEqual(list.experiments.map((e: { name: string }) => e.name), ["Default"]);
  } finally {
    ui.child.kill("SIGINT");
    await ui.finish();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("uiWithStartPage only adds the start page to the page itself and refuses odd routes", async () => {
  const ui = uiWithStartPage("#/experiments/7");
  const page = ui(new URL("http://localhost/"))!;
  assert.match(await page.text(), /<meta name="kmlf-start-page" content="#\/experiments\/7">/);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.doesNotMatch(await ui(new URL("http://localhost/static-files/app.js"))!.text(), /<meta name=/);
  assert.equal(ui(new URL("http://localhost/nope")), undefined);
  assert.throws(() => uiWithStartPage('#/"><script>'), /Not a UI route/);
});
