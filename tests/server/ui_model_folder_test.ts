/// <reference lib="dom" />
/**
 * The artifact browser's model folder panel in headless Chromium (Debian's /usr/bin/chromium): selecting a
 * folder holding an MLmodel shows the logged-model panel (flavor, signature, input example, how to serve
 * it) with a Register button that registers the folder and lists the versions registered from it; a model
 * of another flavor shows how to load it instead; a folder without MLmodel shows no panel; a crafted
 * MLmodel renders as text.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import { chromium } from "npm:playwright-core@1.65.1";
import { jsValueFlavor, MlflowClient, openStore, saveModelFolder } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const XSS = `<img src=x onerror="document.body.dataset.pwned='1'">`;

Deno.test({
  name: "a model folder in the artifact browser shows the logged-model panel and registers from it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    if (!(await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false))) {
      throw new Error(
        `Cannot run the browser tests: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\``,
      );
    }
    const dir = await demoProject({}, { tracked: true });
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const runId = r.stderr.match(/Model logged: runs:\/(\w+)\/model/)![1];
    const store = await openStore("mlflow.db", { baseDir: dir });
    const client = new MlflowClient(store);
    // A js_value model beside it (as mlflow_model_tracking logs one), and a crafted MLmodel.
    for (
      const [path, write] of [
        [
          "classifier",
          (d: string) => saveModelFolder(d, { threshold: 2.45 }, jsValueFlavor, { inputExample: [{ x: 1 }] }),
        ],
        ["crafted", (d: string) =>
          Deno.writeTextFile(
            join(d, "MLmodel"),
            `flavors:\n  '${
              XSS.replaceAll("'", "''")
            }':\n    data: x\nsignature:\n  inputs: '[{"type": "double", "name": "${
              XSS.replaceAll('"', '\\"')
            }", "required": true}]'\n`,
          )],
      ] as const
    ) {
      const tmp = await Deno.makeTempDir();
      await write(tmp);
      await client.logArtifacts(runId, tmp, path);
      await Deno.remove(tmp, { recursive: true });
    }
    const { url, server } = serveFixture(store);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const run = await store.getRun(runId);
      const base = `${url}/#/experiments/${run.info.experimentId}/runs/${runId}/artifacts`;
      await page.goto(`${base}/model`);
      const preview = page.getByTestId("artifact-preview");
      const card = preview.getByTestId("logged-model");
      await card.waitFor();
      assert.deepEqual(await card.getByTestId("model-flavor").allTextContents(), ["kmlf"]);
      assert.equal(
        await card.getByTestId("serve-command").textContent(),
        `kmlf models serve -m runs:/${runId}/model`,
      );
      await card.getByTestId("model-signature").waitFor();
      assert.equal(await card.locator("[data-testid=model-signature] tbody tr").count(), 4);
      assert.equal(await card.locator("[data-testid=model-input-example] tbody tr").count(), 3);
      const versions = card.getByTestId("model-registered-versions");
      await versions.filter({ hasText: "Not registered yet." }).waitFor();

      // Register from the folder: the form offers this folder only.
      await card.getByTestId("register-model-folder").click();
      await card.getByTestId("register-path").locator("option[value=model]").waitFor({ state: "attached" });
      assert.equal(await card.getByTestId("register-path").locator("option").count(), 1);
      await card.getByTestId("register-name").fill("iris");
      await card.getByTestId("register-submit").click();
      await card.getByTestId("registered-version").filter({ hasText: "iris version 1" }).waitFor();
      await versions.filter({ hasText: "Registered as iris v1" }).waitFor();
      const v1 = await store.registry.getModelVersion("iris", "1");
      assert.equal(v1.runId, runId);
      assert.equal(v1.source, `${run.info.artifactUri}/model`);
      await Deno.mkdir(join(REPO, "tests/artifacts/screenshots"), { recursive: true });
      await page.screenshot({
        path: join(REPO, "tests/artifacts/screenshots/model-folder-panel.png"),
        fullPage: true,
      });
      // The version link leads to the registry's version page.
      await card.getByTestId("model-registered-version").click();
      await page.getByTestId("version-title").filter({ hasText: "iris · Version 1" }).waitFor();

      // A js_value model: how to load it in a pipeline instead of a serve command.
      await page.goto(`${base}/classifier`);
      await page.getByTestId("preview-path").filter({ hasText: /^classifier$/ }).waitFor();
      const other = page.getByTestId("artifact-preview").getByTestId("logged-model");
      await other.getByTestId("load-entry").waitFor();
      assert.equal(
        await other.getByTestId("load-entry").textContent(),
        `{type: mlflow_model_tracking, flavor: js_value, load_args: {model_uri: "runs:/${runId}/classifier"}}`,
      );
      assert.equal(await other.getByTestId("serve-command").count(), 0);

      // A folder without MLmodel: the plain listing, no panel.
      await page.goto(`${base}/model/code`);
      await page.getByTestId("preview-path").filter({ hasText: /^model\/code$/ }).waitFor();
      await page.getByTestId("dir-listing").waitFor();
      assert.equal(await page.getByTestId("artifact-preview").getByTestId("logged-model").count(), 0);

      // A crafted MLmodel renders as text.
      await page.goto(`${base}/crafted`);
      await page.getByTestId("preview-path").filter({ hasText: /^crafted$/ }).waitFor();
      const crafted = page.getByTestId("artifact-preview").getByTestId("logged-model");
      await crafted.getByTestId("model-signature").waitFor();
      assert.equal(await crafted.getByTestId("model-flavor").textContent(), XSS);
      assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
      assert.equal(await page.locator("img[src=x]").count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
